import { describe, expect, it } from 'vitest';
import { DEMO_HALL_PATH } from '../../kiosk-config/demo-hall.js';
import { loadHallConfigFile } from '../../kiosk-config/load.js';
import { DEFAULT_CATALOG } from '../platform-sim/default-catalog.js';
import { parseCatalogue } from './catalogue.js';
import { hallCatalogue } from './hall-catalogue.js';

const demo = (() => {
  const r = loadHallConfigFile(DEMO_HALL_PATH);
  if (!r.ok) throw new Error('demo hall broken');
  return r.config;
})();

describe('the catalogue the hub serves', () => {
  it('is the demo hall’s local one before the platform has answered', () => {
    const c = hallCatalogue({ get: () => null }, demo);
    expect(c?.source).toBe('local');
    expect(c?.catalogue.items).toHaveLength(7);
    expect(hallCatalogue(null, { ...demo, catalogue: undefined })).toBeNull();
  });

  it('takes the platform simulator’s items once cached and keeps its reasons', () => {
    const platform = parseCatalogue(JSON.stringify(DEFAULT_CATALOG))!;
    const cache = { get: () => ({ catalogue: platform, etag: null, fetchedAt: 1, checkedAt: 1 }) };
    const c = hallCatalogue(cache, demo)!;
    // The simulator lists all seven of the demo hall's codes, so nothing local is left over.
    expect(c.source).toBe('platform');
    expect(c.catalogue.items).toHaveLength(DEFAULT_CATALOG.items.length);
    expect(c.catalogue.evaluationReasons.length).toBeGreaterThan(0);
    // A platform that lists fewer 事项: the rest stay named from the hall's catalogue.
    const partial = hallCatalogue(
      { get: () => ({ ...cache.get(), catalogue: { ...platform, items: platform.items.slice(0, 2) } }) },
      demo,
    )!;
    expect(partial.source).toBe('merged');
    expect(partial.catalogue.items.map((i) => i.taskName)).toContain('住房公积金提取（租房）');
  });
});
