/**
 * A clean copy of the checkout for building a release as CI does from a fresh clone: the files git
 * tracks plus new ones not ignored (so uncommitted work is built too), and nothing else — no dist/,
 * no test artifacts, no stale build. node_modules is linked from the checkout (installing again
 * would need the network).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, realpathSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { tempDir } from './hub-client.js';
import { REPO } from './packaging.js';

export function cleanCopy(root = REPO): string {
  const r = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: root,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`git ls-files failed (${r.status}): ${r.stderr}`);
  const dest = realpathSync(tempDir('govhall-clean-build-'));
  for (const file of r.stdout.split('\0').filter(Boolean)) {
    const from = join(root, file);
    // A tracked file deleted in the working tree is not part of what is built; node_modules is linked.
    if (file === 'node_modules' || !existsSync(from)) continue;
    mkdirSync(dirname(join(dest, file)), { recursive: true });
    copyFileSync(from, join(dest, file));
  }
  symlinkSync(realpathSync(join(root, 'node_modules')), join(dest, 'node_modules'), 'dir');
  return dest;
}
