/**
 * `DLE EOT` real-time status (docs/devices.md §2): what the three reply bytes mean, how a status
 * becomes a health line for the hub, and the errors a print can end with.
 */

export interface PrinterStatus {
  online: boolean;
  coverOpen: boolean;
  paperNearEnd: boolean;
  paperOut: boolean;
}

/** Replies always have bits 1 and 4 set and bits 0 and 7 clear; anything else is not a status byte. */
export function isStatusByte(b: number): boolean {
  return (b & 0x93) === 0x12;
}

/** Combines the replies to `DLE EOT 1`, `2` and `4`. */
export function statusFromReplies(printer: number, offlineCause: number, paper: number): PrinterStatus {
  return {
    online: (printer & 0x08) === 0,
    coverOpen: (offlineCause & 0x04) !== 0,
    paperNearEnd: (paper & 0x0c) !== 0,
    paperOut: (paper & 0x60) !== 0 || (offlineCause & 0x20) !== 0,
  };
}

/** The device's side: the reply byte to `DLE EOT n` for a given state (used by the simulator). */
export function statusReply(n: number, s: PrinterStatus): number {
  const base = 0x12;
  switch (n) {
    case 1:
      return base | (s.online ? 0 : 0x08);
    case 2:
      return base | (s.coverOpen ? 0x04 : 0) | (s.paperOut ? 0x20 : 0);
    case 4:
      return base | (s.paperNearEnd || s.paperOut ? 0x0c : 0) | (s.paperOut ? 0x60 : 0);
    default:
      return base;
  }
}

export type PrinterErrorCode =
  /** No paper: nothing was printed. */
  | 'PAPER_OUT'
  | 'COVER_OPEN'
  /** The printer answers but says it is offline (for a reason other than paper or cover). */
  | 'OFFLINE'
  /** No status reply within the timeout: unplugged, powered off, wrong port or baud rate. */
  | 'TIMEOUT'
  /** The transport failed while writing. */
  | 'WRITE_FAILED'
  /** The printer object was closed. */
  | 'CLOSED';

const MESSAGES: Record<PrinterErrorCode, string> = {
  PAPER_OUT: '打印机缺纸，请更换纸卷',
  COVER_OPEN: '打印机纸仓盖未合上',
  OFFLINE: '打印机脱机，请检查电源和故障灯',
  TIMEOUT: '打印机无应答，请检查连线、电源、端口和波特率',
  WRITE_FAILED: '向打印机发送数据失败，请检查连线和打印机电源后重试',
  CLOSED: '打印机连接已关闭，请重新连接打印机后重试',
};

export class PrinterError extends Error {
  constructor(
    readonly code: PrinterErrorCode,
    message: string = MESSAGES[code],
    /** The last status read, when there was one. */
    readonly status: PrinterStatus | null = null,
  ) {
    super(message);
    this.name = 'PrinterError';
  }
}

export function printerMessage(code: PrinterErrorCode): string {
  return MESSAGES[code];
}

export type PrinterHealthState = 'ok' | 'warning' | 'error' | 'offline';

export interface PrinterHealth {
  state: PrinterHealthState;
  /** Short Chinese text for the hub, null when all is well. */
  detail: string | null;
  /** Null when the printer did not answer. */
  status: PrinterStatus | null;
}

/** How a status (or no answer) looks to the hub's `device.status`. */
export function healthOf(status: PrinterStatus | null): PrinterHealth {
  if (!status) return { state: 'offline', detail: '打印机无应答', status: null };
  if (status.paperOut) return { state: 'error', detail: '打印机缺纸', status };
  if (status.coverOpen) return { state: 'error', detail: '打印机纸仓盖打开', status };
  if (!status.online) return { state: 'offline', detail: '打印机脱机', status };
  if (status.paperNearEnd) return { state: 'warning', detail: '打印纸将尽', status };
  return { state: 'ok', detail: null, status };
}

/** Why a printer with this status may not print, or null when it may. */
export function refusalOf(status: PrinterStatus): PrinterErrorCode | null {
  if (status.paperOut) return 'PAPER_OUT';
  if (status.coverOpen) return 'COVER_OPEN';
  if (!status.online) return 'OFFLINE';
  return null;
}
