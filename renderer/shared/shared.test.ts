/**
 * Pure parts of the shared renderer code, in Node: the event stream's resume, the reconnecting socket
 * and its users (pad link, browser device bridge), speech, errors, labels.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { backoffDelay, ReconnectingSocket, wsUrl } from '../../common/reconnecting-socket.js';
import { PadLink } from '../evaluator/pad-link.js';
import { printFailureText } from './bridge.js';
import { browserBridge } from './bridge-browser.js';
import { electronBridge } from './bridge-electron.js';
import { simBridge } from './bridge-sim.js';
import { BUILT_IN_REASONS, reasonsFor, taskLabel } from './catalogue.js';
import { EventStream } from './event-stream.js';
import { HubClient, HubError } from './hub-client.js';
import { PRIORITY_TEXT, priorityText, WINDOW_STATE_TEXT, windowStateText } from './labels.js';
import { pageInventory } from './page-inventory.js';
import { SpeechQueue } from './speech.js';
import { loadIdentity } from './token.js';

class FakeSocket {
  static OPEN = 1;
  static all: FakeSocket[] = [];
  readyState = 0;
  sent: string[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((m: { data: string }) => void) | null = null;
  onclose: (() => void) | null = null;
  onerror: (() => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  send(s: string) {
    this.sent.push(s);
  }
  close() {
    this.onclose?.();
  }
  open() {
    this.readyState = 1;
    this.onopen?.();
  }
  msg(o: unknown) {
    this.onmessage?.({ data: JSON.stringify(o) });
  }
}

/** The fake where a `typeof WebSocket` is injected. */
const FakeWS = FakeSocket as unknown as typeof WebSocket;

/** A clean slate for a socket test: no sockets yet, and the timers (backoff, heartbeat) under the test's control. */
function freshSockets() {
  FakeSocket.all = [];
  vi.useFakeTimers();
}
afterEach(() => {
  vi.useRealTimers();
});

describe('event stream', () => {
  /**
   * A stream on fake sockets and fake timers whose retries wait 500, 1000, 2000 then 4000 ms (the
   * jitter pinned to its middle).
   */
  function fakeStream() {
    freshSockets();
    return new EventStream({
      baseUrl: 'http://127.0.0.1:1',
      token: 'T',
      minDelayMs: 500,
      maxDelayMs: 4000,
      random: () => 0.5,
      WebSocketImpl: FakeWS,
    });
  }

  it('tracks seq, resumes after the last one on reconnect, drops duplicates, never gives up', async () => {
    // Reconnect delays on fake timers: each one is checked exactly, and none is waited for.
    const seen: number[] = [];
    const states: string[] = [];
    const s = fakeStream();
    s.onEvent((e) => seen.push(e.seq));
    s.onState((st) => states.push(st));
    s.start();
    const first = FakeSocket.all[0]!;
    expect(first.url).toBe('ws://127.0.0.1:1/api/v1/events?token=T');
    first.open();
    first.msg({ type: 'hello', seq: 10 });
    first.msg({ type: 'queue.changed', seq: 11, serviceCode: 'A', waiting: 1 });
    expect(first.sent).toEqual([]);
    // Closed again and again: it waits 500, 1000, 2000, 4000 ms, then stays at the 4000 ms cap.
    for (const delay of [500, 1000, 2000, 4000, 4000]) {
      const sockets = FakeSocket.all.length;
      FakeSocket.all.at(-1)!.close();
      await vi.advanceTimersByTimeAsync(delay - 1);
      expect(FakeSocket.all.length).toBe(sockets);
      await vi.advanceTimersByTimeAsync(1);
      expect(FakeSocket.all.length).toBe(sockets + 1);
    }
    const last = FakeSocket.all.at(-1)!;
    expect(FakeSocket.all.length).toBe(6);
    last.open();
    expect(last.sent).toEqual([JSON.stringify({ type: 'resume', after: 11 })]);
    last.msg({ type: 'hello', seq: 13 });
    last.msg({ type: 'queue.changed', seq: 11, serviceCode: 'A', waiting: 1 }); // replay overlap
    last.msg({ type: 'queue.changed', seq: 12, serviceCode: 'A', waiting: 2 });
    last.msg({ type: 'resumed', seq: 12 });
    last.msg({ type: 'ticket.called', seq: 13 });
    expect(seen).toEqual([11, 12, 13]);
    expect(states).toContain('closed');
    expect(s.state).toBe('open');
    s.stop();
    expect(FakeSocket.all.length).toBe(6);
  });

  /** A stream on fake sockets that has seen seq 11, dropped, and reconnected (resume sent). */
  async function reconnected() {
    const s = fakeStream();
    const log: string[] = [];
    s.onEvent((e) => log.push(`event ${e.seq}`));
    s.onResync(() => log.push('reload'));
    s.start();
    const first = FakeSocket.all[0]!;
    first.open();
    first.msg({ type: 'hello', seq: 10 });
    first.msg({ type: 'queue.changed', seq: 11, serviceCode: 'A', waiting: 1 });
    first.close();
    await vi.advanceTimersByTimeAsync(500);
    expect(FakeSocket.all).toHaveLength(2);
    const again = FakeSocket.all.at(-1)!;
    again.open();
    expect(again.sent).toEqual([JSON.stringify({ type: 'resume', after: 11 })]);
    again.msg({ type: 'hello', seq: 20 });
    return { s, log, again };
  }

  it('on resync reloads the screen first, then follows events from the resync seq only', async () => {
    const { s, log, again } = await reconnected();
    // A live event that overtook the answer, then the hub's resync (too far behind to replay).
    again.msg({ type: 'queue.changed', seq: 505, serviceCode: 'A', waiting: 3 });
    again.msg({ type: 'resync', seq: 500 });
    again.msg({ type: 'queue.changed', seq: 480, serviceCode: 'A', waiting: 2 }); // older than the reload
    again.msg({ type: 'queue.changed', seq: 506, serviceCode: 'A', waiting: 4 });
    expect(log).toEqual(['event 11', 'reload', 'event 505', 'event 506']);
    expect(s.seq).toBe(506);
    s.stop();
  });

  it('holds events while a resume is answered and hands them on in seq order', async () => {
    const { s, log, again } = await reconnected();
    // A live event overtakes the replay: nothing may hide the older ones.
    again.msg({ type: 'queue.changed', seq: 15, serviceCode: 'A', waiting: 5 });
    again.msg({ type: 'queue.changed', seq: 12, serviceCode: 'A', waiting: 2 });
    again.msg({ type: 'queue.changed', seq: 13, serviceCode: 'A', waiting: 3 });
    again.msg({ type: 'queue.changed', seq: 14, serviceCode: 'A', waiting: 4 });
    expect(log).toEqual(['event 11']);
    again.msg({ type: 'resumed', seq: 14 });
    again.msg({ type: 'queue.changed', seq: 15, serviceCode: 'A', waiting: 5 }); // sent again live
    again.msg({ type: 'queue.changed', seq: 16, serviceCode: 'A', waiting: 6 });
    expect(log).toEqual(['event 11', 'event 12', 'event 13', 'event 14', 'event 15', 'event 16']);
    expect(log).not.toContain('reload');
    s.stop();
  });

  it('backs off exponentially up to the cap', () => {
    const d = (n: number) => backoffDelay(n, 500, 10_000, () => 0.5);
    expect([0, 1, 2, 3, 4, 5, 10].map(d)).toEqual([500, 1000, 2000, 4000, 8000, 10_000, 10_000]);
  });
});

describe('reconnecting socket', () => {
  const make = (o: Partial<ConstructorParameters<typeof ReconnectingSocket>[0]> = {}) => {
    freshSockets();
    const got: unknown[] = [];
    const downs: number[] = [];
    const socket = new ReconnectingSocket({
      url: () => wsUrl('https://hub.example:8800', '/x', { token: 'T', terminal: null }),
      minDelayMs: 100,
      maxDelayMs: 1000,
      random: () => 0.5,
      WebSocketImpl: FakeWS,
      onMessage: (m) => got.push(m),
      onDown: () => downs.push(Date.now()),
      ...o,
    });
    return { socket, got, downs };
  };

  it('retries with a growing delay that starts over once a socket opens', () => {
    const { socket, downs } = make();
    socket.start();
    expect(FakeSocket.all[0]!.url).toBe('wss://hub.example:8800/x?token=T');
    FakeSocket.all[0]!.close();
    vi.advanceTimersByTime(99);
    expect(FakeSocket.all.length).toBe(1);
    vi.advanceTimersByTime(1);
    expect(FakeSocket.all.length).toBe(2);
    FakeSocket.all[1]!.close(); // second retry: 200 ms
    vi.advanceTimersByTime(199);
    expect(FakeSocket.all.length).toBe(2);
    vi.advanceTimersByTime(1);
    FakeSocket.all[2]!.open();
    FakeSocket.all[2]!.close(); // opened: back to 100 ms
    vi.advanceTimersByTime(100);
    expect(FakeSocket.all.length).toBe(4);
    expect(downs.length).toBe(3);
    socket.stop();
  });

  it('with resetOnOpen false, only resetBackoff() starts the delay over', () => {
    const { socket } = make({ resetOnOpen: false });
    socket.start();
    FakeSocket.all[0]!.open();
    FakeSocket.all[0]!.close(); // 100 ms
    vi.advanceTimersByTime(100);
    FakeSocket.all[1]!.open();
    FakeSocket.all[1]!.close(); // 200 ms: opening did not count
    vi.advanceTimersByTime(199);
    expect(FakeSocket.all.length).toBe(2);
    vi.advanceTimersByTime(1);
    FakeSocket.all[2]!.open();
    socket.resetBackoff();
    FakeSocket.all[2]!.close();
    vi.advanceTimersByTime(100);
    expect(FakeSocket.all.length).toBe(4);
    socket.stop();
  });

  it('passes on JSON objects only, sends only while open, and says nothing after stop', () => {
    const { socket, got, downs } = make();
    socket.start();
    const ws = FakeSocket.all[0]!;
    expect(socket.send('x')).toBe(false);
    ws.open();
    expect(socket.isOpen).toBe(true);
    expect(socket.send('x')).toBe(true);
    ws.onmessage?.({ data: 'not json' });
    ws.msg(null);
    ws.msg([1]);
    ws.msg(5);
    ws.msg({ type: 'a' });
    expect(got).toEqual([{ type: 'a' }]);
    socket.stop();
    expect(socket.isOpen).toBe(false);
    // A stopped socket's late close neither reports nor reconnects, even after a new start.
    socket.start();
    ws.onclose?.();
    vi.advanceTimersByTime(5000);
    expect(FakeSocket.all.length).toBe(2);
    expect(downs).toEqual([]);
    socket.stop();
  });
});

describe('pad link', () => {
  it('says hello, beats after welcome, dismisses only while welcomed, reports the drop and reconnects', () => {
    freshSockets();
    const seen: string[] = [];
    const link = new PadLink(
      { baseUrl: 'http://127.0.0.1:1', token: 'P', windowNo: 3 },
      {
        welcome: (w) => seen.push(`welcome:${w.staff?.name ?? '-'}`),
        evaluate: (e) => seen.push(`evaluate:${e.caseId}`),
        cancel: (c) => seen.push(`cancel:${c.reason}`),
        down: () => seen.push('down'),
      },
      FakeWS,
    ).start();
    const ws = FakeSocket.all[0]!;
    expect(ws.url).toBe('ws://127.0.0.1:1/api/v1/pads');
    ws.open();
    expect(JSON.parse(ws.sent[0]!)).toMatchObject({ type: 'hello', token: 'P', protocol: 1, windowNo: 3 });
    expect(link.dismiss('R1')).toBe(false);
    ws.msg({ type: 'welcome', windowNo: 3, staff: { no: '8001', name: '陈建国' }, heartbeatSeconds: 10, reasons: [] });
    vi.advanceTimersByTime(8000);
    expect(ws.sent.at(-1)).toBe('{"type":"ping"}');
    ws.msg({ type: 'evaluate', requestId: 'R1', caseId: 'C1', windowNo: 3, staff: null });
    ws.msg({ type: 'evaluate.cancel', requestId: 'R1', caseId: 'C1', reason: 'rated' });
    expect(link.dismiss('R1')).toBe(true);
    expect(JSON.parse(ws.sent.at(-1)!)).toEqual({ type: 'dismiss', requestId: 'R1' });
    ws.close();
    expect(link.ready).toBe(false);
    vi.advanceTimersByTime(1200); // welcomed: the backoff started over at 1 s
    expect(FakeSocket.all.length).toBe(2);
    const pings = ws.sent.length;
    vi.advanceTimersByTime(20_000);
    expect(ws.sent.length).toBe(pings); // no heartbeat on a closed socket
    expect(seen).toEqual(['welcome:陈建国', 'evaluate:C1', 'cancel:rated', 'down']);
    link.stop();
  });

  it('without a token it never connects', () => {
    freshSockets();
    const noop = () => {};
    new PadLink(
      { baseUrl: 'http://127.0.0.1:1', token: null, windowNo: 1 },
      { welcome: noop, evaluate: noop, cancel: noop, down: noop },
      FakeWS,
    ).start();
    expect(FakeSocket.all).toEqual([]);
  });

  it('on a terminal’s page it connects without a token and says hello without one', () => {
    freshSockets();
    const noop = () => {};
    const link = new PadLink(
      { baseUrl: 'http://127.0.0.1:1', token: null, windowNo: 1, terminalId: 'window-1' },
      { welcome: noop, evaluate: noop, cancel: noop, down: noop },
      FakeWS,
    ).start();
    const ws = FakeSocket.all[0]!;
    ws.open();
    const hello = JSON.parse(ws.sent[0]!);
    expect(hello).toMatchObject({ type: 'hello', protocol: 1, windowNo: 1 });
    expect('token' in hello).toBe(false);
    link.stop();
  });
});

describe('browser device bridge', () => {
  it('tells only a terminal’s own bridge what the page sees, again after every reconnect', () => {
    freshSockets();
    const inv = { cameras: [{ label: '良田高拍仪' }], displays: [{ id: 0, width: 1080, height: 1920 }] };
    const local = browserBridge({
      baseUrl: 'http://127.0.0.1:1',
      token: null,
      terminalId: 'kiosk-1',
      WebSocketImpl: FakeWS,
    });
    local.reportInventory!(inv);
    const ws = FakeSocket.all[0]!;
    ws.open();
    expect(JSON.parse(ws.sent.at(-1)!)).toEqual({ type: 'inventory', ...inv });
    ws.close();
    vi.advanceTimersByTime(2000);
    const again = FakeSocket.all[1]!;
    again.open();
    expect(JSON.parse(again.sent.at(-1)!)).toEqual({ type: 'inventory', ...inv });
    local.close();
    const hub = browserBridge({
      baseUrl: 'http://127.0.0.1:1',
      token: 'K',
      terminalId: 'kiosk-1',
      WebSocketImpl: FakeWS,
    });
    const hubWs = FakeSocket.all.at(-1)!;
    hubWs.open();
    hub.reportInventory!(inv);
    expect(hubWs.sent).toEqual([]);
    hub.close();
  });

  it('asks the hub over the socket, and answers NO_PRINTER at once while it is not connected', async () => {
    freshSockets();
    const b = browserBridge({
      baseUrl: 'http://127.0.0.1:1',
      token: 'K',
      terminalId: 'kiosk-1',
      WebSocketImpl: FakeWS,
    });
    const ws = FakeSocket.all[0]!;
    expect(ws.url).toBe('ws://127.0.0.1:1/api/v1/devices/bridge?token=K&terminal=kiosk-1');
    const t = { hallName: '大厅', number: 'A001', serviceName: '社保', ahead: 0, issuedAt: '' };
    expect(await b.print(t)).toMatchObject({ ok: false, code: 'NO_PRINTER' });
    ws.open();
    const cards: string[] = [];
    b.onCard((c) => cards.push(c.name));
    ws.msg({ type: 'card', card: { name: '张三' } });
    expect(cards).toEqual(['张三']);
    const printing = b.print(t);
    const sent = JSON.parse(ws.sent.at(-1)!);
    expect(sent).toMatchObject({ type: 'print', ticket: { number: 'A001' } });
    ws.msg({ type: 'print.result', id: sent.id, result: { ok: true } });
    expect(await printing).toEqual({ ok: true });
    b.close();
    expect(FakeSocket.all.length).toBe(1);
  });

  it('without a terminal it does not connect', () => {
    freshSockets();
    browserBridge({
      baseUrl: 'http://127.0.0.1:1',
      token: 'K',
      terminalId: null,
      WebSocketImpl: FakeWS,
    }).close();
    expect(FakeSocket.all).toEqual([]);
  });
});

describe('page inventory', () => {
  const cams = async () => [
    { kind: 'videoinput', label: 'Eloam S500 高拍仪', deviceId: 'd1' },
    { kind: 'audioinput', label: 'mic', deviceId: 'm' },
    { kind: 'videoinput', label: '', deviceId: '' },
  ];
  it('lists the cameras by label (a numbered name without permission) and the displays it may see', async () => {
    const screens = async () => ({
      screens: [
        { width: 1920, height: 1080, label: 'DELL', isPrimary: true },
        { width: 1280, height: 800, label: 'Pad', isPrimary: false },
      ],
    });
    const granted = await pageInventory({
      mediaDevices: { enumerateDevices: cams },
      permissions: { query: async () => ({ state: 'granted' }) },
      getScreenDetails: screens,
      screen: { width: 1920, height: 1080 },
    });
    expect(granted).toEqual({
      cameras: [{ label: 'Eloam S500 高拍仪', deviceId: 'd1' }, { label: '摄像头 2' }],
      displays: [
        { id: 0, label: 'DELL', primary: true, width: 1920, height: 1080 },
        { id: 1, label: 'Pad', primary: false, width: 1280, height: 800 },
      ],
    });
    // Never prompts: without the permission only the page's own screen.
    const asked = vi.fn(screens);
    const plain = await pageInventory({
      permissions: { query: async () => ({ state: 'prompt' }) },
      getScreenDetails: asked,
      screen: { width: 1080, height: 1920 },
    });
    expect(asked).not.toHaveBeenCalled();
    expect(plain).toEqual({ cameras: [], displays: [{ id: 0, width: 1080, height: 1920 }] });
    expect(
      await pageInventory({
        mediaDevices: {
          enumerateDevices: async () => {
            throw new Error('no');
          },
        },
      }),
    ).toEqual({ cameras: [], displays: [] });
  });
});

describe('hub client', () => {
  it('turns hub errors, bad JSON and network failures into HubError with a Chinese message', async () => {
    const reply = (status: number, body: string) => async () => new Response(body, { status });
    const c = (f: () => Promise<Response>) =>
      new HubClient({ baseUrl: 'http://x', token: 't', fetch: f as typeof fetch });
    await expect(c(reply(409, '{"code":"SERVICE_CLOSED","message":"该业务已停止取号"}')).hall()).rejects.toEqual(
      new HubError(409, 'SERVICE_CLOSED', '该业务已停止取号'),
    );
    await expect(c(reply(502, 'bad gateway')).hall()).rejects.toMatchObject({ status: 502, code: 'HTTP_502' });
    await expect(
      c(async () => {
        throw new TypeError('fetch failed');
      }).hall(),
    ).rejects.toMatchObject({ status: 0, code: 'NETWORK', message: expect.stringContaining('无法连接') });
    expect(await c(async () => new Response(null, { status: 204 })).windowAction(1, 'call-next')).toBeUndefined();
  });
});

describe('speech queue', () => {
  it('speaks one after another, never cutting off unless asked; mute drops everything', () => {
    const spoken: string[] = [];
    let current: { onend: (() => void) | null } | null = null;
    class U {
      lang = '';
      rate = 1;
      onend: (() => void) | null = null;
      onerror: (() => void) | null = null;
      constructor(readonly text: string) {}
    }
    const synth = {
      speak: (u: U) => {
        spoken.push(u.text);
        current = u;
      },
      cancel: () => {
        current = null;
      },
    };
    const q = new SpeechQueue({ synth: synth as never, Utterance: U as never });
    q.say('请A001号到1号窗口办理', { repeat: 2 });
    q.say('请B002号到2号窗口办理');
    expect(spoken).toEqual(['请A001号到1号窗口办理']);
    (current as unknown as U).onend?.();
    (current as unknown as U).onend?.();
    expect(spoken).toEqual(['请A001号到1号窗口办理', '请A001号到1号窗口办理', '请B002号到2号窗口办理']);
    q.say('新的一步', { interrupt: true });
    expect(spoken.at(-1)).toBe('新的一步');
    q.setMuted(true);
    q.say('静音');
    expect(spoken.at(-1)).toBe('新的一步');
    expect(q.log).toContain('静音');
  });
});

describe('reasons', () => {
  it('falls back to built-in reasons and filters catalogue reasons by platform level', () => {
    expect(reasonsFor('dissatisfied', null)).toEqual(BUILT_IN_REASONS);
    const cat = {
      items: [],
      evaluationReasons: [
        { code: 'P1', text: '很差', forLevels: [1] },
        { code: 'P2', text: '一般差', forLevels: [2] },
        { code: 'P3', text: '都适用' },
      ],
    };
    expect(reasonsFor('very_dissatisfied', cat).map((r) => r.code)).toEqual(['P1', 'P3']);
    expect(reasonsFor('dissatisfied', cat).map((r) => r.code)).toEqual(['P2', 'P3']);
  });
});

describe('bridge forms', () => {
  it('the Electron form forwards to window.govhall and drops its subscriptions on close', async () => {
    const subs = new Set<string>();
    const api = {
      version: 1 as const,
      onCard: () => {
        subs.add('card');
        return () => subs.delete('card');
      },
      onCardRemoved: () => {
        subs.add('removed');
        return () => subs.delete('removed');
      },
      onDeviceStatus: () => {
        subs.add('status');
        return () => subs.delete('status');
      },
      print: async () => ({ ok: false as const, code: 'PAPER_OUT' as const, message: '打印机缺纸' }),
      deviceStatus: async () => [],
      config: async () => ({ hubUrl: null, token: null, role: null, windowNo: null }),
    };
    const b = electronBridge(api);
    b.onCard(() => {});
    b.onCardRemoved(() => {});
    b.onDeviceStatus(() => {});
    expect(subs.size).toBe(3);
    expect(await b.print({ hallName: '', number: 'A1', serviceName: '', ahead: 0, issuedAt: '' })).toMatchObject({
      code: 'PAPER_OUT',
    });
    b.close();
    expect(subs.size).toBe(0);
  });

  it('the simulator presents cards, prints, and fails plainly when the printer is out of paper', async () => {
    const b = simBridge();
    const cards: string[] = [];
    const status: string[] = [];
    b.onCard((c) => cards.push(c.name));
    b.onDeviceStatus((s) => status.push(`${s.state}:${s.detail}`));
    b.sim.card({ name: '张三', gender: '男', birthDate: '1990-01-01', certNo: 'X', certType: 'resident' });
    expect(cards).toEqual(['张三']);
    const t = { hallName: '大厅', number: 'A001', serviceName: '社保', ahead: 0, issuedAt: '' };
    expect(await b.print(t)).toEqual({ ok: true });
    b.sim.setPrinter('paper_out');
    expect(await b.print(t)).toEqual({ ok: false, code: 'PAPER_OUT', message: printFailureText('PAPER_OUT') });
    expect(status).toEqual(['error:打印机缺纸']);
    expect(b.sim.printed.map((p) => p.number)).toEqual(['A001']);
  });
});

describe('shared labels', () => {
  it('names window states one way for every role, and priorities as labels', () => {
    expect(WINDOW_STATE_TEXT).toEqual({
      closed: '未开放',
      idle: '空闲',
      calling: '叫号中',
      serving: '办理中',
      paused: '暂停服务',
    });
    expect(windowStateText(null)).toBe('未开放');
    expect(priorityText('elderly')).toBe('老年人优先');
    expect(priorityText('someday')).toBe('优先办理');
    expect(priorityText(null)).toBeNull();
    expect(Object.values(PRIORITY_TEXT).every((t) => /优先/.test(t))).toBe(true);
  });

  it('names a 事项: recorded name, catalogue name, the service listing its code, else the code', () => {
    const known = {
      catalogue: { items: [{ taskCode: 'T1', taskName: '参保登记' }], evaluationReasons: [] },
      services: [{ code: 'SB', name: '社保医保' }],
      tasks: { SB: ['T1', 'T2'] },
    };
    expect(taskLabel('T1', '记录的名称', known)).toBe('记录的名称');
    expect(taskLabel('T1', null, known)).toBe('参保登记');
    expect(taskLabel('T2', null, known)).toBe('社保医保：T2');
    expect(taskLabel('T3', null, known)).toBe('T3');
    expect(taskLabel(null, null, known)).toBe('—');
  });
});

describe('identity', () => {
  it('talks only to the origin that served the page: `?hub=` and a saved hub are ignored and forgotten', () => {
    const saved = new Map<string, string>([['govhall.admin.hub', 'http://evil.example:8800']]);
    const storage = {
      getItem: (k: string) => saved.get(k) ?? null,
      setItem: (k: string, v: string) => void saved.set(k, v),
      removeItem: (k: string) => void saved.delete(k),
    };
    const g = globalThis as { localStorage?: unknown };
    const before = g.localStorage;
    g.localStorage = storage;
    try {
      const loc = {
        search: '?token=ght_admin&hub=http://evil.example:8800&terminal=admin-1',
        protocol: 'http:',
        origin: 'http://192.168.1.10:8800',
        pathname: '/admin/',
        hash: '',
      } as Location;
      const id = loadIdentity('admin', loc);
      expect(id).toMatchObject({ hubUrl: 'http://192.168.1.10:8800', token: 'ght_admin', terminalId: 'admin-1' });
      expect(saved.has('govhall.admin.hub')).toBe(false);
      // The next visit, without any query: the token is remembered, the hub is still the origin.
      const again = loadIdentity('admin', { ...loc, search: '' } as Location);
      expect(again).toMatchObject({ hubUrl: 'http://192.168.1.10:8800', token: 'ght_admin' });
    } finally {
      g.localStorage = before;
    }
  });
});
