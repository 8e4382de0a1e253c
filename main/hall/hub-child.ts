/**
 * Starts a hub in its own process for tests and benchmarks, prints one JSON line with its address
 * and fresh tokens, and runs until killed (SIGKILL included: that is what the crash tests do) or
 * until its parent closes its stdin.
 */
import { parseArgs } from 'node:util';
import { DEMO_HALL_PATH } from '../../kiosk-config/demo-hall.js';
import { startHubApp } from './hub-app.js';

const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    port: { type: 'string' },
    config: { type: 'string' },
    tokens: { type: 'string' },
  },
});
if (!values.data) {
  process.stderr.write('用法：hub-child.ts --data DIR [--port N] [--config FILE] [--tokens N]\n');
  process.exit(2);
}
const app = await startHubApp({
  configPath: values.config ?? DEMO_HALL_PATH,
  dataDir: values.data,
  port: Number(values.port ?? 0),
  version: 'test',
}).catch((e: { code?: string; message?: string }) => {
  // What an operator would see from `govhall hub`: the code and the Chinese message.
  process.stderr.write(`错误 ${e.code ?? 'START_FAILED'}：${e.message ?? String(e)}\n`);
  process.exit(1);
});
const kioskTokens: string[] = [];
for (let i = 0; i < Number(values.tokens ?? 1); i++)
  kioskTokens.push(await app.createToken('kiosk', undefined, `kiosk-${i}`));
process.stdout.write(
  `${JSON.stringify({
    ready: true,
    url: app.url,
    pid: process.pid,
    adminToken: await app.createToken('admin', undefined, 'admin'),
    displayToken: await app.createToken('display', undefined, 'display'),
    kioskToken: kioskTokens[0],
    kioskTokens,
  })}\n`,
);
const stop = async () => {
  await app.close();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
// The parent holds our stdin: when it is gone (a test timed out, its worker was killed), so are we,
// rather than a hub left running on a temp folder.
process.stdin.on('end', stop);
process.stdin.on('error', stop);
process.stdin.resume();
