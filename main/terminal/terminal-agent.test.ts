/**
 * The terminal's cycle on fake timers with a scripted hub: pairing until approved, running on the
 * configuration (and on the cached one while the hub is away), back to pairing within a second of
 * being revoked however the hub says so.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ControlLinkHandlers } from './control-link.js';
import { HubError, type TerminalHubApi } from './hub-api.js';
import { TerminalAgent, type TerminalStore } from './terminal-agent.js';
import type { TerminalConfigView } from './terminal-types.js';

const VIEW: TerminalConfigView = {
  terminalId: 'kiosk-1',
  version: 'v1',
  name: '一楼取号机',
  windows: [{ role: 'kiosk', display: 'primary' }],
  entry: { id: 'kiosk-1', windows: [{ role: 'kiosk', display: 'primary' }], devices: [] },
  hall: { code: 'H1', name: '演示大厅', timeZone: 'Asia/Shanghai' },
  ticketText: { header: '', footer: '' },
};

function memoryStore(): TerminalStore & { saved: { token: string | null; config: TerminalConfigView | null } } {
  const saved = { token: null as string | null, config: null as TerminalConfigView | null };
  return {
    saved,
    token: () => saved.token,
    saveToken: (_id, t) => {
      saved.token = t;
    },
    forgetToken: () => {
      saved.token = null;
    },
    config: () => saved.config,
    saveConfig: (c) => {
      saved.config = c;
    },
  };
}

/** A hub that answers at once: pairing codes in order, approval when the test says so. */
function scriptedHub() {
  let approved: string | null = null;
  let codes = 0;
  let revoked = false;
  const api: TerminalHubApi & { approve(token: string): void; revoke(): void } = {
    approve: (t) => {
      approved = t;
    },
    revoke: () => {
      revoked = true;
    },
    requestPairing: vi.fn(async () => {
      codes++;
      return { pairingId: `p${codes}`, code: String(100000 + codes), expiresAt: '2026-11-23T10:10:00+08:00' };
    }),
    pairingStatus: vi.fn(async () => {
      if (approved) {
        const token = approved;
        approved = null;
        return { status: 'approved' as const, token };
      }
      return { status: 'pending' as const };
    }),
    config: vi.fn(async () => {
      if (revoked) throw new HubError(401, 'UNAUTHORIZED', '缺少或无效的令牌');
      return VIEW;
    }),
    inventory: vi.fn(async () => undefined),
    registerCardRead: vi.fn(async () => 'read-1'),
    endCardReads: vi.fn(async () => undefined),
    reachable: vi.fn(async () => true),
  };
  return api;
}

function setup(store = memoryStore()) {
  const hub = scriptedHub();
  let link: ControlLinkHandlers | null = null;
  const links: { token: string; stopped: boolean }[] = [];
  const agent = new TerminalAgent({
    terminal: { id: 'kiosk-1', hub: 'http://hub' },
    store,
    api: hub,
    control: (token, on) => {
      const l = { token, stopped: false };
      links.push(l);
      link = on;
      return {
        start: () => {},
        stop: () => {
          l.stopped = true;
        },
      };
    },
  });
  const states: string[] = [];
  agent.onState((s) => states.push(s.kind === 'running' ? `running:${s.hubReachable}` : s.kind));
  return { hub, agent, store, states, links, link: () => link! };
}

/** Lets the promise callbacks of the scripted hub run, with no time passing. */
const settle = () => vi.advanceTimersByTimeAsync(0);

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('the terminal agent', () => {
  it('shows a pairing code, polls until the admin approves, keeps the token and runs', async () => {
    const t = setup();
    t.agent.start();
    await settle();
    expect(t.agent.state).toMatchObject({ kind: 'pairing', code: '100001' });
    await vi.advanceTimersByTimeAsync(2000 * 3);
    expect(t.agent.state.kind).toBe('pairing');
    t.hub.approve('gtt_one');
    await vi.advanceTimersByTimeAsync(2000);
    expect(t.store.saved.token).toBe('gtt_one');
    expect(t.links[0]?.token).toBe('gtt_one');
    expect(t.agent.token).toBe('gtt_one');
    t.link().up();
    await settle();
    expect(t.agent.state).toMatchObject({ kind: 'running', hubReachable: true, config: { terminalId: 'kiosk-1' } });
    expect(t.store.saved.config?.version).toBe('v1');
    t.agent.stop();
  });

  it('runs on the cached configuration while the hub is away, and says so after a grace period', async () => {
    const store = memoryStore();
    store.saved.token = 'gtt_saved';
    store.saved.config = VIEW;
    const t = setup(store);
    t.agent.start();
    // Straight to the cached configuration: the windows can open before the hub answers.
    expect(t.agent.state).toMatchObject({ kind: 'running', hubReachable: false });
    t.link().up();
    await settle();
    expect(t.agent.state).toMatchObject({ kind: 'running', hubReachable: true });
    t.link().down();
    await vi.advanceTimersByTimeAsync(4999);
    expect(t.agent.state).toMatchObject({ kind: 'running', hubReachable: true });
    await vi.advanceTimersByTimeAsync(1);
    expect(t.agent.state).toMatchObject({ kind: 'running', hubReachable: false });
    t.link().up();
    await settle();
    expect(t.agent.state).toMatchObject({ kind: 'running', hubReachable: true });
    t.agent.stop();
  });

  it.each([
    ['the hub says terminal.revoked or closes with 4401', (t: ReturnType<typeof setup>) => t.link().revoked()],
    [
      'a forwarded call is answered 401 and the hub confirms it',
      (t: ReturnType<typeof setup>) => {
        t.hub.revoke();
        t.agent.unauthorized();
      },
    ],
  ])('goes back to pairing within a second when %s', async (_what, revoke) => {
    const store = memoryStore();
    store.saved.token = 'gtt_saved';
    store.saved.config = VIEW;
    const t = setup(store);
    t.agent.start();
    t.link().up();
    await settle();
    expect(t.agent.state.kind).toBe('running');
    revoke(t);
    await vi.advanceTimersByTimeAsync(1000);
    expect(t.agent.state).toMatchObject({ kind: 'pairing', code: expect.stringMatching(/^\d{6}$/) });
    expect(t.agent.token).toBeNull();
    expect(store.saved.token).toBeNull();
    expect(t.links[0]?.stopped).toBe(true);
  });

  it('does not forget its token for a 401 the hub does not confirm', async () => {
    const store = memoryStore();
    store.saved.token = 'gtt_saved';
    const t = setup(store);
    t.agent.start();
    t.link().up();
    await settle();
    t.agent.unauthorized();
    await vi.advanceTimersByTimeAsync(1000);
    expect(t.agent.state.kind).toBe('running');
    expect(store.saved.token).toBe('gtt_saved');
    t.agent.stop();
  });

  it('asks for a new code when the pairing expires or the hub forgot it', async () => {
    const t = setup();
    t.agent.start();
    await settle();
    vi.mocked(t.hub.pairingStatus).mockResolvedValueOnce({ status: 'expired' });
    await vi.advanceTimersByTimeAsync(2000);
    expect(t.agent.state).toMatchObject({ kind: 'pairing', code: '100002' });
    vi.mocked(t.hub.pairingStatus).mockRejectedValueOnce(new HubError(404, 'UNKNOWN_PAIRING', 'x'));
    await vi.advanceTimersByTimeAsync(2000);
    expect(t.agent.state).toMatchObject({ kind: 'pairing', code: '100003' });
    vi.mocked(t.hub.requestPairing).mockRejectedValueOnce(new HubError(0, 'NETWORK', 'x'));
    vi.mocked(t.hub.pairingStatus).mockResolvedValueOnce({ status: 'expired' });
    await vi.advanceTimersByTimeAsync(2000);
    expect(t.agent.state).toMatchObject({ kind: 'pairing', code: null, problem: '无法连接大厅中枢，正在重试' });
    await vi.advanceTimersByTimeAsync(5000);
    expect(t.agent.state).toMatchObject({ kind: 'pairing', code: '100004' });
    t.agent.stop();
  });
});
