/** The hall manager's hub endpoints as one list of plugins for the hub composition. */
import { adminConfigPlugin } from './admin-config-plugin.js';
import { adminReportPlugin } from './admin-report-plugin.js';
import type { HubPlugin } from './hub-plugin.js';

export function adminPlugins(opts: {
  dataDir: string;
  configPath?: string | null;
  persist?: boolean;
  clipsDir?: string | null;
}): HubPlugin[] {
  return [
    adminConfigPlugin({
      configPath: opts.configPath ?? null,
      persist: opts.persist ?? true,
      clipsDir: opts.clipsDir ?? null,
    }),
    adminReportPlugin({ dataDir: opts.dataDir }),
  ];
}
