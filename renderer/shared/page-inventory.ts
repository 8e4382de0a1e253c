/**
 * What this page can see for its terminal's inventory (docs/terminal.md「设备」): the cameras by the
 * labels the browser gives (a 高拍仪 is chosen by its label in the hall config), and the displays —
 * every one through the Window Management API when the page already may use it (it is never asked:
 * no prompt on a kiosk), otherwise the one it is on. Never throws; the browser and its objects are
 * injected for the tests.
 */
import type { PageInventory } from './bridge.js';

interface ScreenLike {
  width: number;
  height: number;
  label?: string;
  isPrimary?: boolean;
}

export interface PageEnvironment {
  mediaDevices?: { enumerateDevices(): Promise<{ kind: string; label: string; deviceId: string }[]> };
  permissions?: { query(d: { name: string }): Promise<{ state: string }> };
  getScreenDetails?: () => Promise<{ screens: ScreenLike[] }>;
  screen?: ScreenLike;
}

const text = (s: string, max: number) => s.slice(0, max);

export async function pageInventory(env: PageEnvironment): Promise<PageInventory> {
  let cameras: PageInventory['cameras'] = [];
  try {
    const all = (await env.mediaDevices?.enumerateDevices()) ?? [];
    cameras = all
      .filter((d) => d.kind === 'videoinput')
      .slice(0, 32)
      // Without a camera permission the label is empty: the admin still sees that there is one.
      .map((d, i) => ({
        label: text(d.label || `摄像头 ${i + 1}`, 120),
        ...(d.deviceId ? { deviceId: text(d.deviceId, 200) } : {}),
      }));
  } catch {
    cameras = [];
  }
  let displays: PageInventory['displays'] = [];
  try {
    const granted = env.getScreenDetails
      ? (await env.permissions?.query({ name: 'window-management' }))?.state === 'granted'
      : false;
    if (granted && env.getScreenDetails) {
      const { screens } = await env.getScreenDetails();
      displays = screens.slice(0, 16).map((s, i) => ({
        id: i,
        ...(s.label ? { label: text(s.label, 120) } : {}),
        primary: !!s.isPrimary,
        width: Math.round(s.width),
        height: Math.round(s.height),
      }));
    }
  } catch {
    displays = [];
  }
  if (!displays.length && env.screen)
    displays = [{ id: 0, width: Math.round(env.screen.width), height: Math.round(env.screen.height) }];
  return { cameras, displays };
}

/** The browser's own environment. */
export function browserEnvironment(): PageEnvironment {
  const w = window as unknown as { getScreenDetails?: PageEnvironment['getScreenDetails'] };
  return {
    ...(navigator.mediaDevices ? { mediaDevices: navigator.mediaDevices } : {}),
    ...(navigator.permissions
      ? { permissions: navigator.permissions as unknown as NonNullable<PageEnvironment['permissions']> }
      : {}),
    ...(w.getScreenDetails ? { getScreenDetails: () => w.getScreenDetails!() } : {}),
    screen: window.screen,
  };
}
