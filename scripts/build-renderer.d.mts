export function sourcesMtime(dir?: string): number;
export function isStale(dir?: string): boolean;
export function hasRendererSources(dir?: string): boolean;
export const BUILD_SCRIPT: string;
export function buildRenderer(opts?: { ifStale?: boolean; quiet?: boolean }): Promise<boolean>;
