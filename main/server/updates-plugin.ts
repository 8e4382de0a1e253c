/**
 * `GET /updates/{file}` (hub-api.md v1.1, docs/deployment.md 更新): the terminals' updater reads
 * the release files an admin put in the hub's `updates/` folder — `latest*.yml`, the installers and
 * their `.blockmap`s — with its terminal token. Only plain names of release files in that folder
 * are served (update-files.ts); one byte range at a time for resumed and differential downloads.
 */
import { createReadStream, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { updateRoutes as api } from '../../common/api/routes.js';
import { ApiError } from './http-kit.js';
import type { HubPlugin } from './hub-plugin.js';
import { readRange, releaseFileType } from './update-files.js';

export interface UpdatesPluginOptions {
  /** The folder of release files, `<data folder>/updates` (it need not exist). */
  dir: string;
}

const notFound = (name: string) =>
  new ApiError(
    404,
    'UPDATE_FILE_NOT_FOUND',
    `中枢的更新文件夹中没有 ${name.slice(0, 80)}：请管理员把发行文件（latest*.yml、安装包、.blockmap）放进中枢数据目录的 updates/ 文件夹`,
  );

/** The size of a regular file (a link the admin made counts as what it points to), or null. */
function sizeOf(path: string): number | null {
  try {
    const st = statSync(path);
    return st.isFile() ? st.size : null;
  } catch {
    return null;
  }
}

export function updatesPlugin(opts: UpdatesPluginOptions): HubPlugin {
  return {
    name: 'updates',
    install(ctx) {
      // There from the first start, so the admin finds where releases go (docs/deployment.md 7.2).
      try {
        mkdirSync(opts.dir, { recursive: true, mode: 0o750 });
      } catch (e) {
        ctx.log('warn', '无法创建更新文件夹', { dir: opts.dir, error: (e as Error).message });
      }
      ctx.defineRoute(api.updateFile, ({ req, res, params }) => {
        const name = params.file;
        const type = releaseFileType(name);
        if (!type) throw notFound(name);
        const path = join(opts.dir, name);
        const size = sizeOf(path);
        if (size === null) throw notFound(name);
        const range = readRange(req.headers.range, size);
        // latest*.yml changes in place when an admin drops a release: never cached. The installers
        // are named by version and never change, but the updater checks their hash anyway.
        const headers = { 'content-type': type, 'accept-ranges': 'bytes', 'cache-control': 'no-store' };
        if (range.kind === 'unsatisfiable')
          throw new ApiError(416, 'RANGE_NOT_SATISFIABLE', `请求的范围超出文件长度（${size} 字节）`, {
            'content-range': `bytes */${size}`,
          });
        const [status, start, end] = range.kind === 'part' ? [206, range.start, range.end] : [200, 0, size - 1];
        res.writeHead(status, {
          ...headers,
          'content-length': String(size === 0 ? 0 : end - start + 1),
          ...(status === 206 ? { 'content-range': `bytes ${start}-${end}/${size}` } : {}),
        });
        if (size === 0) return void res.end();
        return new Promise<undefined>((resolve) => {
          const stream = createReadStream(path, { start, end });
          stream.on('error', (e) => {
            ctx.log('warn', '更新文件读取失败', { file: name, error: e.message });
            res.destroy();
            resolve(undefined);
          });
          res.on('close', () => {
            stream.destroy();
            resolve(undefined);
          });
          stream.pipe(res);
        });
      });
    },
  };
}
