import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type DisplayInfo,
  diffPlans,
  orderDisplays,
  planWindows,
  resolveDisplay,
  type WindowEntry,
} from './window-plan.js';

const display = (id: number, x: number, y: number, width: number, height: number, extra: Partial<DisplayInfo> = {}) =>
  ({ id, bounds: { x, y, width, height }, primary: false, label: '', scaleFactor: 1, ...extra }) satisfies DisplayInfo;

const staffScreen = display(1, 0, 0, 1920, 1080, { primary: true, label: 'DELL P2422H' });
const citizenPad = display(2, 1920, 0, 1280, 800, { label: 'Eval Pad 10' });

const windowPc: WindowEntry[] = [
  { role: 'counter', window: 3, display: 'primary', camera: 'Gaopaiyi S500' },
  { role: 'evaluator', window: 3, display: 'secondary' },
];

describe('window plan: the three terminal layouts', () => {
  it('kiosk: one touch screen, one locked-down full-screen window in kiosk mode', () => {
    const plan = planWindows(
      [{ role: 'kiosk', display: 'primary' }],
      [display(7, 0, 0, 1080, 1920, { primary: true })],
    );
    expect(plan.problems).toEqual([]);
    expect(plan.windows).toEqual([
      {
        key: 'kiosk',
        role: 'kiosk',
        windowNo: null,
        placement: { displayId: 7, bounds: { x: 0, y: 0, width: 1080, height: 1920 }, via: 'configured' },
        citizenFacing: true,
        kiosk: true,
        fullscreen: true,
        frame: false,
        alwaysOnTop: false,
        zoomFactor: 1,
        orientationMismatch: false,
        camera: null,
      },
    ]);
  });

  it('window PC: the staff window is an ordinary window on the primary, the evaluator fills the second output', () => {
    const plan = planWindows(windowPc, [citizenPad, staffScreen]);
    expect(plan.problems).toEqual([]);
    const [counter, evaluator] = plan.windows;
    expect(counter).toMatchObject({
      key: 'counter:3',
      windowNo: 3,
      placement: { displayId: 1, bounds: staffScreen.bounds, via: 'configured' },
      citizenFacing: false,
      kiosk: false,
      fullscreen: false,
      frame: true,
      zoomFactor: 1,
      camera: 'Gaopaiyi S500',
    });
    expect(evaluator).toMatchObject({
      key: 'evaluator:3',
      placement: { displayId: 2, bounds: citizenPad.bounds, via: 'configured' },
      citizenFacing: true,
      kiosk: false,
      fullscreen: true,
      frame: false,
      alwaysOnTop: true,
      // A 1280×800 pad is smaller than the design size: never shrunk.
      zoomFactor: 1,
    });
  });

  it('hall TV: 1080p, 4K at 100 % and at 200 %, 1440p, and portrait', () => {
    const tv = (width: number, height: number, layout?: 'landscape' | 'portrait') =>
      planWindows(
        [{ role: 'display', display: 'primary', ...(layout ? { layout } : {}) }],
        [display(1, 0, 0, width, height, { primary: true })],
      ).windows[0]!;
    expect(tv(1920, 1080, 'landscape')).toMatchObject({ kiosk: true, fullscreen: true, zoomFactor: 1 });
    expect(tv(3840, 2160).zoomFactor).toBe(2);
    // 4K at 200 % scaling reports 1920×1080 device-independent pixels: already the design size.
    expect(tv(1920, 1080).zoomFactor).toBe(1);
    expect(tv(2560, 1440).zoomFactor).toBe(1.25);
    expect(tv(2160, 3840, 'portrait')).toMatchObject({ zoomFactor: 2, orientationMismatch: false });
    expect(tv(1080, 1920)).toMatchObject({ zoomFactor: 1, orientationMismatch: false });
    // Configured portrait but the OS reports landscape: the TV was turned without rotating the output.
    expect(tv(1920, 1080, 'portrait')).toMatchObject({ orientationMismatch: true, zoomFactor: 1 });
  });
});

describe('window plan: choosing displays', () => {
  const left = display(3, -1280, 0, 1280, 1024, { label: 'Left' });
  const right = display(4, 1920, 0, 1920, 1080, { label: ' Hall TV ' });
  const below = display(5, 0, 1080, 1920, 1080, { label: 'Below' });

  it('orders the primary first, then left to right, top to bottom, then by id', () => {
    const twin = display(6, 1920, 0, 800, 600);
    expect(orderDisplays([right, below, staffScreen, left, twin]).map((d) => d.id)).toEqual([1, 3, 5, 4, 6]);
  });

  it('resolves primary, secondary, indexes and labels (case and spaces ignored)', () => {
    const ordered = orderDisplays([right, staffScreen, left]);
    expect(resolveDisplay('primary', ordered)?.id).toBe(1);
    expect(resolveDisplay('secondary', ordered)?.id).toBe(3);
    expect(resolveDisplay(0, ordered)?.id).toBe(1);
    expect(resolveDisplay(2, ordered)?.id).toBe(4);
    expect(resolveDisplay(3, ordered)).toBeNull();
    expect(resolveDisplay('hall tv', ordered)?.id).toBe(4);
    expect(resolveDisplay('Nowhere', ordered)).toBeNull();
    expect(resolveDisplay('secondary', [staffScreen])).toBeNull();
    expect(resolveDisplay('primary', [])).toBeNull();
  });

  it('a missing secondary makes the evaluator wait rather than cover the staff screen', () => {
    const plan = planWindows(windowPc, [staffScreen]);
    expect(plan.windows.map((w) => [w.key, w.placement?.displayId ?? null])).toEqual([
      ['counter:3', 1],
      ['evaluator:3', null],
    ]);
    expect(plan.windows[1]).toMatchObject({ zoomFactor: 1, orientationMismatch: false });
    expect(plan.problems).toEqual([
      {
        code: 'WAITING_FOR_DISPLAY',
        key: 'evaluator:3',
        message: 'evaluator:3 配置的显示器（secondary）未连接，且没有空闲的显示器；接上后窗口自动出现',
      },
    ]);
  });

  it('a missing display falls back to the first free display, never to one in use', () => {
    const entries: WindowEntry[] = [
      { role: 'counter', window: 1, display: 'primary' },
      { role: 'evaluator', window: 1, display: 'Citizen Pad' },
    ];
    const plan = planWindows(entries, [staffScreen, below, right]);
    expect(plan.windows[1]!.placement).toEqual({ displayId: 5, bounds: below.bounds, via: 'fallback' });
  });

  it('a hall TV whose label changed (TV replaced) still shows on the one display there is', () => {
    const plan = planWindows(
      [{ role: 'display', display: 'Hall TV' }],
      [display(9, 0, 0, 1920, 1080, { primary: true })],
    );
    expect(plan.windows[0]!.placement).toMatchObject({ displayId: 9, via: 'fallback' });
    expect(plan.problems).toEqual([]);
  });

  it('configured placements are settled before fallbacks, whatever the entry order', () => {
    const plan = planWindows(
      [
        { role: 'display', window: 1, display: 'Missing TV' },
        { role: 'display', window: 2, display: 'primary' },
      ],
      [staffScreen],
    );
    expect(plan.windows.map((w) => [w.key, w.placement?.via ?? null])).toEqual([
      ['display:1', null],
      ['display:2', 'configured'],
    ]);
  });

  it('an out-of-range index is a missing display', () => {
    const plan = planWindows([{ role: 'display', display: 4 }], [staffScreen, right]);
    expect(plan.windows[0]!.placement).toMatchObject({ displayId: 1, via: 'fallback' });
  });

  it('with no display at all every window waits', () => {
    const plan = planWindows(windowPc, []);
    expect(plan.windows.every((w) => w.placement === null)).toBe(true);
    expect(plan.problems.map((p) => p.code)).toEqual(['WAITING_FOR_DISPLAY', 'WAITING_FOR_DISPLAY']);
  });

  it('reports a repeated window and two windows configured on one display, and keeps going', () => {
    const plan = planWindows(
      [
        { role: 'counter', window: 2, display: 'primary' },
        { role: 'counter', window: 2, display: 'secondary' },
        { role: 'evaluator', window: 2, display: 0 },
      ],
      [staffScreen, citizenPad],
    );
    expect(plan.windows.map((w) => [w.key, w.placement?.displayId])).toEqual([
      ['counter:2', 1],
      ['evaluator:2', 1],
    ]);
    expect(plan.problems.map((p) => [p.code, p.key])).toEqual([
      ['DUPLICATE_WINDOW', 'counter:2'],
      ['SHARED_DISPLAY', 'evaluator:2'],
    ]);
  });

  it('never puts a fallback window on a display in use, and places every window whose display is there', () => {
    const arbDisplays = fc
      .uniqueArray(fc.integer({ min: 1, max: 6 }), { maxLength: 4 })
      .chain((ids) =>
        fc.tuple(
          fc.constant(ids),
          fc.array(fc.tuple(fc.integer({ min: -4000, max: 4000 }), fc.constantFrom('', 'A', 'B', 'TV')), {
            minLength: ids.length,
            maxLength: ids.length,
          }),
        ),
      )
      .map(([ids, xs]) =>
        ids.map((id, i) => display(id, xs[i]![0], 0, 1920, 1080, { primary: i === 0, label: xs[i]![1] })),
      );
    const arbEntries = fc.uniqueArray(
      fc.record({
        role: fc.constantFrom('kiosk' as const, 'counter' as const, 'evaluator' as const, 'display' as const),
        window: fc.integer({ min: 1, max: 3 }),
        display: fc.constantFrom<WindowEntry['display']>('primary', 'secondary', 0, 1, 2, 'A', 'TV', 'none'),
      }),
      { selector: (e) => `${e.role}:${e.window}`, maxLength: 5 },
    );
    fc.assert(
      fc.property(arbDisplays, arbEntries, (displays, entries) => {
        const plan = planWindows(entries, displays);
        const ordered = orderDisplays(displays);
        const fallbackIds = plan.windows.flatMap((w) =>
          w.placement?.via === 'fallback' ? [w.placement.displayId] : [],
        );
        const allIds = plan.windows.flatMap((w) => (w.placement ? [w.placement.displayId] : []));
        for (const id of fallbackIds) expect(allIds.filter((x) => x === id)).toHaveLength(1);
        entries.forEach((e, i) => {
          const d = resolveDisplay(e.display, ordered);
          if (d) expect(plan.windows[i]!.placement).toMatchObject({ displayId: d.id, via: 'configured' });
        });
        const waiting = plan.windows.filter((w) => !w.placement).length;
        if (waiting > 0) expect(new Set(allIds).size).toBe(displays.length);
      }),
    );
  });
});

describe('window plan: display hot-plug', () => {
  it('unplugging the citizen screen hides the evaluator; plugging it back shows it there again', () => {
    const both = planWindows(windowPc, [staffScreen, citizenPad]);
    const alone = planWindows(windowPc, [staffScreen]);
    expect(diffPlans(both, alone)).toEqual([{ kind: 'hide', key: 'evaluator:3' }]);
    const back = planWindows(windowPc, [staffScreen, { ...citizenPad, id: 12 }]);
    expect(diffPlans(alone, back)).toEqual([
      {
        kind: 'show',
        window: expect.objectContaining({ key: 'evaluator:3', placement: expect.objectContaining({ displayId: 12 }) }),
      },
    ]);
  });

  it('a resolution change moves the window and updates its zoom; an unchanged layout changes nothing', () => {
    const tv = [{ role: 'display' as const, display: 'primary' as const }];
    const hd = planWindows(tv, [display(1, 0, 0, 1920, 1080, { primary: true })]);
    const uhd = planWindows(tv, [display(1, 0, 0, 3840, 2160, { primary: true })]);
    expect(diffPlans(hd, uhd)).toEqual([
      { kind: 'move', window: expect.objectContaining({ key: 'display', zoomFactor: 2 }) },
    ]);
    expect(diffPlans(hd, planWindows(tv, [display(1, 0, 0, 1920, 1080, { primary: true })]))).toEqual([]);
  });

  it('the evaluator moves when the citizen screen is re-arranged (same display, new position)', () => {
    const before = planWindows(windowPc, [staffScreen, citizenPad]);
    const after = planWindows(windowPc, [staffScreen, { ...citizenPad, bounds: { ...citizenPad.bounds, x: -1280 } }]);
    expect(diffPlans(before, after)).toEqual([
      { kind: 'move', window: expect.objectContaining({ key: 'evaluator:3' }) },
    ]);
  });

  it('a pushed configuration opens new windows and closes removed ones', () => {
    const before = planWindows(windowPc, [staffScreen, citizenPad]);
    const after = planWindows(
      [{ role: 'counter', window: 4, display: 'primary' }, windowPc[1]!],
      [staffScreen, citizenPad],
    );
    expect(diffPlans(before, after)).toEqual([
      { kind: 'close', key: 'counter:3' },
      { kind: 'open', window: expect.objectContaining({ key: 'counter:4' }) },
    ]);
  });

  it('a window that opens while its display is missing is opened waiting', () => {
    const none = planWindows([], [staffScreen]);
    const next = planWindows(windowPc, [staffScreen]);
    const changes = diffPlans(none, next);
    expect(changes.map((c) => c.kind)).toEqual(['open', 'open']);
    expect(changes[1]).toMatchObject({ window: { key: 'evaluator:3', placement: null } });
  });
});
