/** Where a hall's data lives when no --data is given: the per-user application data folder. */
import { homedir } from 'node:os';
import { join } from 'node:path';

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.GOVHALL_DATA) return env.GOVHALL_DATA;
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'govhall');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'govhall');
  return join(env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'govhall');
}
