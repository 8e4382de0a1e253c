import { realpathSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { appFileUrl } from '../common/app-root.js';

/** The embedded default: the demo hall a newcomer gets from `govhall start` (shipped beside the compiled code). */
export const DEMO_HALL_PATH = fileURLToPath(appFileUrl('kiosk-config/demo-hall.yaml'));

/** The file a path names once relative parts and symlinks are resolved; the absolute path when it does not exist. */
function realFile(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

/**
 * Whether `path` is the shipped demo hall's file, however it is written: relative
 * (`kiosk-config/demo-hall.yaml`), through a symlink or a hard link. Comparing the strings was not
 * enough — `govhall start --config kiosk-config/demo-hall.yaml` then wrote admin edits into the
 * installation's file. `demoPath` is for tests.
 */
export function isDemoHallFile(path: string, demoPath: string = DEMO_HALL_PATH): boolean {
  if (realFile(path) === realFile(demoPath)) return true;
  try {
    const a = statSync(path);
    const b = statSync(demoPath);
    return a.dev === b.dev && a.ino === b.ino;
  } catch {
    return false;
  }
}
