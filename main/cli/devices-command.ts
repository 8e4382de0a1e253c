/**
 * `govhall devices [--json]`: what a technician needs on site — the serial ports and HID devices
 * this machine sees, and the devices the hall config expects with their last reported state. Every
 * part degrades to a plain sentence (no udevadm, no HID access, no database), never a stack trace.
 */
import { existsSync, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { DEMO_HALL_PATH } from '../../kiosk-config/demo-hall.js';
import { formatProblem, loadHallConfigFile } from '../../kiosk-config/load.js';
import { openDatabase } from '../store/database.js';
import { hubLockHeld } from '../store/hub-lock.js';
import { parseFlags } from './args.js';
import { CliError } from './cli-error.js';
import { defaultDataDir } from './data-dir.js';
import { appVersion } from './main.js';

const USAGE = `用法 / usage: govhall devices [--config FILE] [--data DIR] [--json]
  列出本机串口、HID 设备，以及大厅配置中的设备和它们最近一次报告的状态
  lists serial ports, HID devices and the configured devices with their last state
  --config FILE  大厅配置（默认内置演示大厅）/ hall config (default: the demo hall)
  --data DIR     数据目录，读取中枢记录的设备状态（默认 ${defaultDataDir()}）
  --json         输出 JSON / print JSON`;

export interface SerialPortInfo {
  path: string;
  manufacturer: string | null;
  vendorId: string | null;
  productId: string | null;
  serialNumber: string | null;
}

export interface HidInfo {
  path: string | null;
  vendorId: number;
  productId: number;
  manufacturer: string | null;
  product: string | null;
}

export interface ConfiguredDevice {
  terminal: string;
  deviceId: string;
  kind: string;
  windowNo: number | null;
  transport: string;
  state: string;
  detail: string | null;
  since: string | null;
}

export interface DevicesReport {
  serial: { ports: SerialPortInfo[]; problem: string | null };
  hid: { devices: HidInfo[]; problem: string | null };
  configured: {
    devices: ConfiguredDevice[];
    source: 'hub-database' | 'none';
    hubRunning: boolean;
    problem: string | null;
  };
}

function onPath(cmd: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((d) => d && existsSync(join(d, cmd)));
}

function ttyFallback(): SerialPortInfo[] {
  try {
    return readdirSync('/dev')
      .filter((n) => /^tty(USB|ACM|AMA|S\d|XRUSB|CH34)/.test(n))
      .sort()
      .map((n) => ({ path: `/dev/${n}`, manufacturer: null, vendorId: null, productId: null, serialNumber: null }));
  } catch {
    return [];
  }
}

export async function listSerial(): Promise<DevicesReport['serial']> {
  let problem: string | null = null;
  if (process.platform === 'linux' && !onPath('udevadm')) {
    problem = '未找到 udevadm（请安装 udev 包），只能按设备文件名列出串口，厂商信息不可用';
    return { ports: ttyFallback(), problem };
  }
  try {
    const { SerialPort } = await import('serialport');
    const ports = await SerialPort.list();
    return {
      ports: ports.map((p) => ({
        path: p.path,
        manufacturer: p.manufacturer ?? null,
        vendorId: p.vendorId ?? null,
        productId: p.productId ?? null,
        serialNumber: p.serialNumber ?? null,
      })),
      problem,
    };
  } catch (e) {
    return { ports: ttyFallback(), problem: `无法枚举串口：${(e as Error).message}` };
  }
}

export async function listHid(): Promise<DevicesReport['hid']> {
  let hid: { devices(): Record<string, unknown>[] };
  try {
    const mod = (await import('node-hid')) as unknown as {
      default?: typeof hid;
      devices?: () => Record<string, unknown>[];
    };
    hid = (mod.devices ? mod : mod.default) as typeof hid;
  } catch (e) {
    return {
      devices: [],
      problem: `node-hid 无法加载（${(e as Error).message.split('\n')[0]}）：需要 libusb-1.0 与 hidraw 支持，重新安装依赖后再试`,
    };
  }
  try {
    const list = hid.devices();
    return {
      devices: list.map((d) => ({
        path: (d.path as string | undefined) ?? null,
        vendorId: Number(d.vendorId ?? 0),
        productId: Number(d.productId ?? 0),
        manufacturer: (d.manufacturer as string | undefined) ?? null,
        product: (d.product as string | undefined) ?? null,
      })),
      problem:
        list.length === 0 && process.platform === 'linux'
          ? '没有可访问的 HID 设备：若已插入，请检查 /dev/hidraw* 的权限（udev 规则或 plugdev 组）'
          : null,
    };
  } catch (e) {
    return { devices: [], problem: `无法枚举 HID 设备：${(e as Error).message}` };
  }
}

/** The newest `device.status` the hub recorded for each device. */
async function lastStates(
  dataDir: string,
): Promise<Map<string, { state: string; detail: string | null; at: number }> | null> {
  if (!existsSync(join(dataDir, 'govhall.db'))) return null;
  const h = openDatabase({ dataDir, appVersion: await appVersion(), lock: false });
  try {
    const rows = h.db
      .prepare(
        `SELECT at, payload FROM events WHERE type = 'device.status' AND seq IN
           (SELECT max(seq) FROM events WHERE type = 'device.status' GROUP BY json_extract(payload, '$.deviceId'))`,
      )
      .all() as { at: number; payload: string }[];
    const out = new Map<string, { state: string; detail: string | null; at: number }>();
    for (const r of rows) {
      const p = JSON.parse(r.payload) as { deviceId: string; state: string; detail: string | null };
      out.set(p.deviceId, { state: p.state, detail: p.detail ?? null, at: r.at });
    }
    return out;
  } finally {
    h.close();
  }
}

export async function configuredDevices(configPath: string, dataDir: string): Promise<DevicesReport['configured']> {
  const loaded = loadHallConfigFile(configPath);
  if (!loaded.ok)
    return {
      devices: [],
      source: 'none',
      hubRunning: false,
      problem: `大厅配置有误：${loaded.problems.slice(0, 3).map(formatProblem).join('；')}`,
    };
  const running = existsSync(dataDir) && hubLockHeld(dataDir);
  let states: Awaited<ReturnType<typeof lastStates>> = null;
  let problem: string | null = null;
  try {
    states = await lastStates(dataDir);
    if (!states) problem = `数据目录 ${dataDir} 中没有中枢数据库，状态未知`;
  } catch (e) {
    problem = `读取设备状态失败：${(e as Error).message}`;
  }
  const devices: ConfiguredDevice[] = [];
  for (const t of loaded.config.devices?.terminals ?? []) {
    for (const d of t.devices) {
      const s = states?.get(d.id);
      devices.push({
        terminal: t.id,
        deviceId: d.id,
        kind: d.kind,
        windowNo: d.window ?? t.window ?? null,
        transport:
          d.transport.type === 'serial'
            ? `serial ${d.transport.path}${d.transport.baud ? `@${d.transport.baud}` : ''}`
            : d.transport.type === 'tcp'
              ? `tcp ${d.transport.host}:${d.transport.port}`
              : d.transport.type === 'hid'
                ? `hid ${hex4(d.transport.vendorId)}:${hex4(d.transport.productId)}`
                : d.transport.type === 'lp'
                  ? `lp ${d.transport.path}`
                  : 'simulated',
        // A state recorded while no hub runs is history, not the present.
        state: s && running ? s.state : 'unknown',
        detail:
          s && running ? s.detail : s ? `中枢未运行；最后记录：${s.state}${s.detail ? `（${s.detail}）` : ''}` : null,
        since: s ? new Date(s.at).toISOString() : null,
      });
    }
  }
  return { devices, source: states ? 'hub-database' : 'none', hubRunning: running, problem };
}

const hex4 = (n: number) => n.toString(16).padStart(4, '0');

export async function devicesCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(
    args,
    { config: { type: 'string' }, data: { type: 'string' }, json: { type: 'boolean' } },
    USAGE,
  );
  if (positionals.length) throw new CliError(`多余的参数：${positionals.join(' ')}\n\n${USAGE}`);
  const report: DevicesReport = {
    serial: await listSerial(),
    hid: await listHid(),
    configured: await configuredDevices(values.config ?? DEMO_HALL_PATH, values.data ?? defaultDataDir()),
  };
  if (values.json) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return 0;
  }
  const out: string[] = [];
  out.push(`串口 / serial ports（${report.serial.ports.length}）`);
  for (const p of report.serial.ports)
    out.push(
      `  ${p.path}${p.vendorId ? `  ${p.vendorId}:${p.productId}` : ''}${p.manufacturer ? `  ${p.manufacturer}` : ''}`,
    );
  if (report.serial.problem) out.push(`  注意：${report.serial.problem}`);
  out.push(`HID 设备 / HID devices（${report.hid.devices.length}）`);
  for (const d of report.hid.devices)
    out.push(
      `  ${hex4(d.vendorId)}:${hex4(d.productId)}  ${[d.manufacturer, d.product].filter(Boolean).join(' ')}  ${d.path ?? ''}`,
    );
  if (report.hid.problem) out.push(`  注意：${report.hid.problem}`);
  const c = report.configured;
  out.push(`配置的设备 / configured devices（${c.devices.length}，中枢${c.hubRunning ? '运行中' : '未运行'}）`);
  for (const d of c.devices)
    out.push(
      `  ${d.terminal.padEnd(12)} ${d.deviceId.padEnd(18)} ${d.kind.padEnd(10)} ${d.transport.padEnd(22)} ${d.state}${d.detail ? `  ${d.detail}` : ''}`,
    );
  if (c.problem) out.push(`  注意：${c.problem}`);
  process.stdout.write(`${out.join('\n')}\n`);
  return 0;
}
