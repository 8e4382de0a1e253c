/**
 * What every role page starts with: identity from the URL, a hub client, the live event stream,
 * the device bridge, and a React context to reach them. A role's `main.tsx` is just
 * `mountRole('kiosk', KioskApp, { bridge: true })`.
 */
import { createContext, type ReactElement, StrictMode, useContext } from 'react';
import { createRoot } from 'react-dom/client';
import './base.css';
import { type DeviceBridge, noDeviceBridge } from './bridge.js';
import { createBridge } from './bridge-select.js';
import { EventStream } from './event-stream.js';
import { HubClient } from './hub-client.js';
import { browserEnvironment, pageInventory } from './page-inventory.js';
import { type Identity, loadIdentity, type Role } from './token.js';

export interface AppServices {
  identity: Identity;
  client: HubClient;
  events: EventStream;
  bridge: DeviceBridge;
}

const ServicesContext = createContext<AppServices | null>(null);

export function useServices(): AppServices {
  const s = useContext(ServicesContext);
  if (!s) throw new Error('useServices outside mountRole');
  return s;
}

export function ServicesProvider({ value, children }: { value: AppServices; children: ReactElement }) {
  return <ServicesContext.Provider value={value}>{children}</ServicesContext.Provider>;
}

export function createServices(role: Role, opts: { bridge?: boolean } = {}): AppServices {
  const identity = loadIdentity(role);
  const client = new HubClient({ baseUrl: identity.hubUrl, token: identity.token });
  const events = new EventStream({ baseUrl: identity.hubUrl, token: identity.token }).start();
  const bridge = opts.bridge ? createBridge(identity) : noDeviceBridge();
  // A terminal's page tells its terminal which cameras and displays it sees (for the admin's editor).
  if (bridge.reportInventory) {
    const report = bridge.reportInventory.bind(bridge);
    void pageInventory(browserEnvironment()).then(report, () => undefined);
  }
  return { identity, client, events, bridge };
}

/**
 * Public touch terminals: no context menu (long press), no pinch or ctrl+wheel zoom, no drag of
 * images or text. The viewport meta and `.touch` CSS do the rest.
 */
export function lockTouchScreen(): void {
  const stop = (e: Event) => e.preventDefault();
  document.addEventListener('contextmenu', stop);
  document.addEventListener('dragstart', stop);
  document.addEventListener('gesturestart', stop);
  document.addEventListener(
    'touchmove',
    (e) => {
      if (e.touches.length > 1) e.preventDefault();
    },
    { passive: false },
  );
  document.addEventListener(
    'wheel',
    (e) => {
      if (e.ctrlKey) e.preventDefault();
    },
    { passive: false },
  );
  document.addEventListener('keydown', (e) => {
    if ((e.ctrlKey || e.metaKey) && ['+', '-', '=', '0'].includes(e.key)) e.preventDefault();
  });
}

/** Mounts a role's root component into `#root` with its services. */
export function mountRole(
  role: Role,
  App: () => ReactElement,
  opts: { bridge?: boolean; touch?: boolean } = {},
): AppServices {
  const services = createServices(role, opts);
  document.documentElement.dataset.role = role;
  if (opts.touch) lockTouchScreen();
  const el = document.getElementById('root');
  if (!el) throw new Error('#root missing');
  createRoot(el).render(
    <StrictMode>
      <ServicesProvider value={services}>
        <App />
      </ServicesProvider>
    </StrictMode>,
  );
  return services;
}
