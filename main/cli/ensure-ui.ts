/**
 * Before `govhall start` or `govhall hub` serves the role UIs from a checkout, it builds them when
 * their sources are newer than the build, so a fresh clone works with the command alone (not only
 * through `npm start`). The staleness rule is the one of scripts/build-renderer.mjs; an installed
 * app ships the UIs built and has no sources, so nothing happens there.
 */
import { spawn } from 'node:child_process';

export interface UiBuilder {
  hasSources(): boolean;
  isStale(): boolean;
  /** Runs the build; resolves with its exit code. */
  build(): Promise<number>;
}

export type UiBuildOutcome = 'no-sources' | 'fresh' | 'built' | 'failed';

export async function ensureUiBuilt(builder: UiBuilder | null, write: (text: string) => void): Promise<UiBuildOutcome> {
  if (!builder?.hasSources()) return 'no-sources';
  if (!builder.isStale()) return 'fresh';
  write('界面尚未构建或比源码旧，正在构建 / building the role UIs…\n');
  const code = await builder.build();
  if (code === 0) return 'built';
  // The hub is still useful without its pages (devices, API, sync): start it and say how to see why.
  write(
    `界面构建失败（退出码 ${code}）：中枢照常启动，但界面打不开。请运行 npm run build:renderer 查看原因 / ` +
      'the UI build failed; the hub starts without its UIs\n',
  );
  return 'failed';
}

/** The checkout's builder, or null when scripts/ is not there (an installed app). */
export async function checkoutUiBuilder(): Promise<UiBuilder | null> {
  let script: typeof import('../../scripts/build-renderer.mjs');
  try {
    script = await import('../../scripts/build-renderer.mjs');
  } catch {
    return null;
  }
  return {
    hasSources: () => script.hasRendererSources(),
    isStale: () => script.isStale(),
    // A child process: Vite stays out of the hub's memory, and its NODE_ENV switch out of the hub's env.
    build: () =>
      new Promise((resolve) => {
        const child = spawn(process.execPath, [script.BUILD_SCRIPT, '--if-stale'], { stdio: 'inherit' });
        child.once('error', () => resolve(1));
        child.once('exit', (code) => resolve(code ?? 1));
      }),
  };
}
