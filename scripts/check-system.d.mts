export const SYSTEM_PACKAGES: string[];
export function missingPackages(wanted: string[], dpkgOutput: string): string[];
export type SystemStep =
  | { action: 'ok' }
  | { action: 'unknown' }
  | { action: 'install'; packages: string[] }
  | { action: 'stop'; packages: string[]; command: string };
export function decide(facts: { missing: string[] | null; isRoot: boolean; hasApt: boolean }): SystemStep;
export function stopMessage(packages: string[], command: string): string;
export function main(): number;
