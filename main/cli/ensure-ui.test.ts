import { describe, expect, it } from 'vitest';
import { ensureUiBuilt, type UiBuilder } from './ensure-ui.js';

function builder(over: Partial<{ sources: boolean; stale: boolean; exit: number }> = {}) {
  const builds: number[] = [];
  const b: UiBuilder = {
    hasSources: () => over.sources ?? true,
    isStale: () => over.stale ?? true,
    build: async () => {
      builds.push(1);
      return over.exit ?? 0;
    },
  };
  return { b, builds };
}

describe('govhall start builds stale UIs first', () => {
  it('builds when stale, and only then', async () => {
    const out: string[] = [];
    const stale = builder({ stale: true });
    expect(await ensureUiBuilt(stale.b, (t) => out.push(t))).toBe('built');
    expect(stale.builds).toHaveLength(1);
    expect(out.join('')).toContain('正在构建');

    const fresh = builder({ stale: false });
    expect(await ensureUiBuilt(fresh.b, (t) => out.push(t))).toBe('fresh');
    expect(fresh.builds).toHaveLength(0);
  });

  it('leaves an installed app alone', async () => {
    const none = builder({ sources: false });
    expect(await ensureUiBuilt(none.b, () => {})).toBe('no-sources');
    expect(await ensureUiBuilt(null, () => {})).toBe('no-sources');
    expect(none.builds).toHaveLength(0);
  });

  it('starts anyway when the build fails, saying how to see why', async () => {
    const out: string[] = [];
    expect(await ensureUiBuilt(builder({ exit: 1 }).b, (t) => out.push(t))).toBe('failed');
    expect(out.join('')).toContain('npm run build:renderer');
  });
});
