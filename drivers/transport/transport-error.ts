/**
 * One error type for every transport, so a technician sees the port's name and what to do — never a
 * stack trace. OS and library messages (serialport, node-hid, sockets) are mapped onto a few codes.
 */
export type TransportErrorCode =
  | 'PORT_NOT_FOUND'
  | 'PORT_BUSY'
  | 'PORT_FORBIDDEN'
  /** The path exists but is no serial port or printer device (a directory, a plain file). */
  | 'NOT_A_PORT'
  | 'PORT_CLOSED'
  | 'TIMEOUT'
  | 'IO'
  /** The native backend (node-hid) could not be loaded on this machine. */
  | 'BACKEND_UNAVAILABLE';

export class TransportError extends Error {
  constructor(
    readonly code: TransportErrorCode,
    /** The port, device path or address the error is about. */
    readonly port: string,
    message: string,
  ) {
    super(message);
    this.name = 'TransportError';
  }
}

export const isTransportError = (e: unknown): e is TransportError => e instanceof TransportError;

const MESSAGES: Record<TransportErrorCode, (port: string, detail: string) => string> = {
  PORT_NOT_FOUND: (p) =>
    `端口 ${p} 不存在：请检查设备是否已接上、端口名是否写对（可用 govhall devices 列出本机串口和 HID 设备）`,
  PORT_BUSY: (p) => `端口 ${p} 正被其他程序占用：请关闭占用它的程序（Linux 上可用 fuser ${p} 查看）后重试`,
  PORT_FORBIDDEN: (p) =>
    `没有权限打开端口 ${p}：请把用户加入 dialout 组：sudo usermod -aG dialout $USER，然后重新登录（HID 设备需要 hidraw 的 udev 规则）`,
  NOT_A_PORT: (p) =>
    `${p} 不是串口或打印机设备：请确认端口名（串口如 /dev/ttyUSB0、COM3，USB 打印机如 /dev/usb/lp0；govhall devices 列出本机串口）`,
  PORT_CLOSED: (p) => `端口 ${p} 已关闭或设备已拔出：请检查连线；设备重新接上后会自动重连`,
  TIMEOUT: (p, d) => `端口 ${p} 操作超时${d ? `（${d}）` : ''}：请检查连线、设备电源和波特率`,
  IO: (p, d) => `端口 ${p} 读写出错${d ? `（${d}）` : ''}：请检查连线和设备电源`,
  BACKEND_UNAVAILABLE: (p, d) => `无法使用 ${p}：${d}`,
};

export function transportError(code: TransportErrorCode, port: string, detail = ''): TransportError {
  return new TransportError(code, port, MESSAGES[code](port, detail));
}

/** Maps whatever an OS call or native library threw onto a `TransportError` naming `port`. */
export function toTransportError(err: unknown, port: string): TransportError {
  if (err instanceof TransportError) return err;
  const e = err as { code?: unknown; message?: unknown } | null;
  const msg = typeof e?.message === 'string' ? e.message : String(err);
  const sys = typeof e?.code === 'string' ? e.code : '';
  const has = (...needles: string[]) => needles.some((n) => msg.includes(n) || sys === n);
  if (has('ENOENT', 'No such file or directory', 'File not found', 'cannot open device')) {
    return transportError('PORT_NOT_FOUND', port);
  }
  if (has('EACCES', 'EPERM', 'Permission denied', 'Operation not permitted')) {
    return transportError('PORT_FORBIDDEN', port);
  }
  // Windows says "Access denied" for a COM port another program holds.
  if (has('EBUSY', 'Cannot lock port', 'Resource temporarily unavailable', 'Access denied', 'Resource busy')) {
    return transportError('PORT_BUSY', port);
  }
  // Before the "closed" check: serialport says "Is a directory, cannot open PATH".
  if (has('EISDIR', 'Is a directory', 'ENOTTY', 'Inappropriate ioctl', 'Not a typewriter')) {
    return transportError('NOT_A_PORT', port);
  }
  if (has('Port is not open', 'not open', 'EBADF', 'Port is closed', 'ECONNRESET', 'EPIPE')) {
    return transportError('PORT_CLOSED', port);
  }
  if (has('ETIMEDOUT', 'timed out', 'timeout')) return transportError('TIMEOUT', port, oneLine(msg));
  return transportError('IO', port, oneLine(msg));
}

/** First line only, without the "Error: " prefix, short: never a stack trace. */
function oneLine(msg: string): string {
  return (msg.split('\n')[0] ?? '').replace(/^Error:?\s*/, '').slice(0, 160);
}
