/**
 * Who talks to the hub. A device token carries one of the UI roles; a terminal in the hall config
 * runs some of the terminal roles (`hub` means the PC also runs the hub). One list for the token
 * store, the API schemas, the UI build and the config schema.
 */

export const DEVICE_ROLES = ['kiosk', 'counter', 'display', 'evaluator', 'admin'] as const;
export type DeviceRole = (typeof DEVICE_ROLES)[number];

/** Roles that are served as a page of their own (same set as the tokens today). */
export const UI_ROLES = DEVICE_ROLES;
export type UiRole = DeviceRole;

export const TERMINAL_ROLES = ['kiosk', 'counter', 'display', 'evaluator', 'hub'] as const;
export type TerminalRole = (typeof TERMINAL_ROLES)[number];

export const ROLE_TEXT: Record<DeviceRole | TerminalRole, string> = {
  kiosk: '自助取号机',
  counter: '窗口叫号',
  display: '大厅显示屏',
  evaluator: '服务评价器',
  admin: '大厅管理',
  hub: '大厅中枢',
};

export const ROLE_TEXT_EN: Record<DeviceRole | TerminalRole, string> = {
  kiosk: 'kiosk',
  counter: 'window terminal',
  display: 'hall display',
  evaluator: 'evaluation pad',
  admin: 'admin',
  hub: 'hub',
};

/** Roles whose token must name the window it belongs to. */
export const WINDOW_BOUND_ROLES: readonly DeviceRole[] = ['counter', 'evaluator'];
