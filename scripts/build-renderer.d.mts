export function isStale(): boolean;
export function buildRenderer(opts?: { ifStale?: boolean; quiet?: boolean }): Promise<boolean>;
