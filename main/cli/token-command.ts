import { hostname, userInfo } from 'node:os';
import { DEVICE_ROLES, type DeviceRole } from '../../common/roles.js';
import { appendAudit } from '../store/audit.js';
import type { HallDatabase } from '../store/database.js';
import { TokenStore } from '../store/tokens.js';
import { intFlag, parseFlags, requireFlag } from './args.js';
import { CliError } from './cli-error.js';
import { openDatabaseForTools } from './open-store.js';

const USAGE = `用法 / usage:
  govhall token create --data DIR --role kiosk|counter|display|evaluator|admin [--window N] [--name NAME]
      创建设备令牌；标准输出只有令牌本身，便于脚本使用
  govhall token list --data DIR [--json]
  govhall token revoke --data DIR --id ID`;

/** An audit row for a change made from the command line: the operating-system user and host. */
function auditCli(db: HallDatabase, action: string, subject: string, detail: Record<string, unknown> | null): void {
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // no passwd entry (a container): the host still says where
  }
  appendAudit(db.db, {
    at: Date.now(),
    actor: { role: 'admin', terminalId: `cli:${user}@${hostname()}`, staffNo: null, address: null },
    action,
    subject,
    result: 'ok',
    detail: { ...detail, via: 'cli' },
  });
}

export async function tokenCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  const { values } = parseFlags(
    rest,
    {
      data: { type: 'string' },
      role: { type: 'string' },
      window: { type: 'string' },
      name: { type: 'string' },
      id: { type: 'string' },
      json: { type: 'boolean' },
    },
    USAGE,
  );
  if (sub !== 'create' && sub !== 'list' && sub !== 'revoke') throw new CliError(USAGE);
  const data = requireFlag(values.data, 'data', USAGE);
  if (sub === 'create') {
    const role = requireFlag(values.role, 'role', USAGE);
    if (!DEVICE_ROLES.includes(role as DeviceRole))
      throw new CliError(`--role 应为 ${DEVICE_ROLES.join('、')} 之一，收到「${role}」`);
    const windowNo = intFlag(values.window, 'window', 1, 999);
    if ((role === 'counter' || role === 'evaluator') && windowNo === undefined)
      throw new CliError(`${role} 令牌需要 --window 指定窗口`);
    const { db, close } = await openDatabaseForTools(data, { create: true });
    try {
      const store = new TokenStore(db);
      const { token } = db.db.transaction(() => {
        const created = store.createDeviceToken({
          role: role as DeviceRole,
          windowNo: windowNo ?? null,
          name: values.name ?? null,
        });
        // The same record the admin console's token creation leaves, made by whoever ran the command.
        auditCli(db, 'token.create', created.id, { role, windowNo: windowNo ?? null, name: values.name ?? null });
        return created;
      })();
      process.stdout.write(`${token}\n`);
      return 0;
    } finally {
      close();
    }
  }
  const { db, close } = await openDatabaseForTools(data);
  try {
    const store = new TokenStore(db);
    if (sub === 'list') {
      const list = store.listDeviceTokens();
      if (values.json) process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
      else
        for (const t of list)
          process.stdout.write(
            `${t.id}  ${t.role.padEnd(9)} ${t.windowNo ?? '-'}\t${t.name ?? ''}\t${new Date(t.createdAt).toISOString()}${t.revokedAt ? '  已吊销' : ''}\n`,
          );
      return 0;
    }
    const id = requireFlag(values.id, 'id', USAGE);
    const revoked = db.db.transaction(() => {
      const ok = store.revokeDeviceToken(id);
      if (ok) auditCli(db, 'token.revoke', id, null);
      return ok;
    })();
    if (!revoked) throw new CliError(`令牌 ${id} 不存在或已吊销`, 1);
    process.stdout.write(`已吊销 ${id}\n`);
    return 0;
  } finally {
    close();
  }
}
