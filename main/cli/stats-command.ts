import { businessDayOf } from '../../common/hall-time.js';
import { DEMO_HALL_PATH } from '../../kiosk-config/demo-hall.js';
import { loadHallConfigFile } from '../../kiosk-config/load.js';
import type { PeriodStats } from '../queue/engine-api.js';
import { computeDayStatistics } from '../queue/statistics.js';
import { FieldCipher, loadOrCreateDataKey } from '../store/crypto.js';
import { SqliteQueueRepository } from '../store/queue-repository.js';
import { parseFlags } from './args.js';
import { CliError } from './cli-error.js';
import { openDatabaseForTools } from './open-store.js';

const USAGE = `用法 / usage: govhall stats [--day YYYY-MM-DD] [--data DIR] [--config FILE] [--json]
  某营业日的取号、办理、过号数与等候、办理时长（均值、P90），按业务、窗口、人员、小时分列。`;

const dur = (s: number | null) => (s === null ? '-' : s >= 60 ? `${Math.floor(s / 60)}分${s % 60}秒` : `${s}秒`);

function table(title: string, rows: Record<string, PeriodStats>, label: (k: string) => string): string {
  const lines = [`\n${title}`, `  ${'项目'.padEnd(12)}取号  办结  过号  平均等候    P90等候     平均办理    P90办理`];
  for (const [k, s] of Object.entries(rows)) {
    lines.push(
      `  ${label(k).padEnd(12)}${String(s.issued).padStart(4)}  ${String(s.served).padStart(4)}  ${String(s.skipped).padStart(4)}  ${dur(s.meanWaitSeconds).padEnd(10)}${dur(s.p90WaitSeconds).padEnd(11)}${dur(s.meanServeSeconds).padEnd(11)}${dur(s.p90ServeSeconds)}`,
    );
  }
  return lines.join('\n');
}

export async function statsCommand(args: string[]): Promise<number> {
  const { values } = parseFlags(
    args,
    { day: { type: 'string' }, data: { type: 'string' }, config: { type: 'string' }, json: { type: 'boolean' } },
    USAGE,
  );
  const loaded = loadHallConfigFile(values.config ?? DEMO_HALL_PATH);
  if (!loaded.ok) throw new CliError(`大厅配置有误，请先运行 govhall config check`, 1);
  const cfg = loaded.config;
  const day = values.day ?? businessDayOf(Date.now(), cfg.hall.timeZone);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new CliError(`--day 应为 YYYY-MM-DD，收到「${day}」`);
  const { db, close, dataDir } = await openDatabaseForTools(values.data);
  try {
    const repo = new SqliteQueueRepository(db, new FieldCipher(loadOrCreateDataKey(dataDir).master));
    const s = computeDayStatistics(repo.listTicketsOfDay(day), day, cfg.hall.timeZone);
    if (values.json) {
      process.stdout.write(`${JSON.stringify(s, null, 2)}\n`);
      return 0;
    }
    const svcName = (c: string) => cfg.services.find((x) => x.code === c)?.name ?? c;
    process.stdout.write(`${cfg.hall.name} ${day} 营业日统计`);
    process.stdout.write(`${table('合计', { 全部: s.total }, (k) => k)}`);
    process.stdout.write(`${table('按业务', s.byService, svcName)}`);
    process.stdout.write(`${table('按窗口', s.byWindow, (k) => `${k}号窗口`)}`);
    process.stdout.write(
      `${table('按人员', s.byStaff, (k) => `${k} ${cfg.staff.find((x) => x.no === k)?.name ?? ''}`)}`,
    );
    process.stdout.write(`${table('按小时（到达）', s.byHour, (k) => `${k}:00`)}\n`);
    return 0;
  } finally {
    close();
  }
}
