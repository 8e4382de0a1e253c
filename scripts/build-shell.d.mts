export const SHELL_OUT: string;
export const SHELL_ENTRIES: readonly { name: 'main' | 'preload' | 'fuses'; entry: string; out: string }[];
export function shellBuildOptions(name: string, entry: string, outfile: string): Record<string, unknown>;
export function buildShell(opts?: { quiet?: boolean }): Promise<{ built: string[]; skipped: string[] }>;
