/**
 * The Linux service files under build/linux/: the hub's system unit, the terminal's user unit and its
 * XDG autostart fallback, the udev rule and the deb's maintainer scripts. Checked as text (the keys
 * that make them work), by the shells that run them (`sh -n`, `bash -n`) and, where the machine has
 * it, by `systemd-analyze verify`.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/hub-client.js';
import { loadBuilderConfig, REPO } from '../support/packaging.js';

const LINUX = join(REPO, 'build', 'linux');
const read = (name: string) => readFileSync(join(LINUX, name), 'utf8');
const config = loadBuilderConfig();

/** A unit or desktop file: section → key → every value given (keys may repeat). */
function parseIni(text: string): Map<string, Map<string, string[]>> {
  const sections = new Map<string, Map<string, string[]>>();
  let current: Map<string, string[]> | null = null;
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) return;
    const section = /^\[([^\]]+)\]$/.exec(line);
    if (section) {
      current = new Map();
      sections.set(section[1]!, current);
      return;
    }
    const kv = /^([A-Za-z][A-Za-z0-9-]*(?:\[[A-Za-z_@.]+\])?)=(.*)$/.exec(line);
    if (!kv || !current) throw new Error(`line ${i + 1} is neither a section, a key=value nor a comment: ${raw}`);
    const values = current.get(kv[1]!) ?? [];
    values.push(kv[2]!);
    current.set(kv[1]!, values);
  });
  return sections;
}

const value = (ini: Map<string, Map<string, string[]>>, section: string, key: string) =>
  ini.get(section)?.get(key)?.at(-1);

/** Where the deb puts each extra file (electron-builder.yml deb.fpm: source=destination). */
const fpmTargets = new Map(
  (config.deb.fpm as string[]).map((arg) => {
    const [source, destination] = arg.split('=') as [string, string];
    return [source, destination];
  }),
);
const TERMINAL_BINARY = `/opt/${config.productName}/${config.executableName}`;

interface UdevToken {
  key: string;
  attr: string | null;
  op: string;
  value: string;
}

const MATCH_KEYS = [
  'ACTION',
  'DEVPATH',
  'KERNEL',
  'KERNELS',
  'SUBSYSTEM',
  'SUBSYSTEMS',
  'DRIVER',
  'DRIVERS',
  'ATTR',
  'ATTRS',
  'ENV',
  'TAG',
  'TAGS',
];
const ASSIGN_KEYS = ['GROUP', 'MODE', 'OWNER', 'TAG', 'ENV', 'SYMLINK', 'RUN', 'ATTR'];

/** One udev rule per line: comma-separated `KEY[{attr}] op "value"` tokens (udev(7)). */
function parseUdev(text: string): UdevToken[][] {
  const rules: UdevToken[][] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const tokens = line.split(/,\s*/).map((part) => {
      const m = /^([A-Z_]+)(?:\{([^}]+)\})?\s*(==|!=|\+=|-=|:=|=)\s*"([^"]*)"$/.exec(part.trim());
      if (!m) throw new Error(`udev line ${i + 1}: cannot parse "${part}"`);
      return { key: m[1]!, attr: m[2] ?? null, op: m[3]!, value: m[4]! };
    });
    for (const t of tokens) {
      const isMatch = t.op === '==' || t.op === '!=';
      const known = isMatch ? MATCH_KEYS : ASSIGN_KEYS;
      if (!known.includes(t.key))
        throw new Error(`udev line ${i + 1}: ${t.key} ${t.op} is not a known ${isMatch ? 'match' : 'assignment'}`);
    }
    if (!tokens.some((t) => t.op === '==' || t.op === '!=')) throw new Error(`udev line ${i + 1}: no match`);
    if (!tokens.some((t) => t.op !== '==' && t.op !== '!=')) throw new Error(`udev line ${i + 1}: no assignment`);
    rules.push(tokens);
  });
  return rules;
}

const which = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

describe('the hub system unit (govhall-hub.service)', () => {
  const unit = parseIni(read('govhall-hub.service'));

  it('runs `govhall hub` as its own user on the LAN port, keeping config and data in /var/lib/govhall', () => {
    expect(value(unit, 'Service', 'User')).toBe('govhall');
    expect(value(unit, 'Service', 'Group')).toBe('govhall');
    expect(value(unit, 'Service', 'StateDirectory')).toBe('govhall');
    const exec = value(unit, 'Service', 'ExecStart')!;
    expect(exec).toMatch(/^\/usr\/bin\/env node \S+\/bin\/govhall\.mjs hub /);
    const flag = (name: string) => new RegExp(`--${name} (\\S+)`).exec(exec)?.[1];
    expect(flag('host')).toBe('0.0.0.0');
    expect(flag('port')).toBe('8800');
    // ProtectSystem=strict leaves only the state directory writable: the data and the config (which
    // the admin console saves) must both be inside it.
    expect(value(unit, 'Service', 'ProtectSystem')).toBe('strict');
    expect(flag('data')).toBe('/var/lib/govhall');
    expect(flag('config')).toMatch(/^\/var\/lib\/govhall\//);
    // …and the daily backups go to the folder of the hall config's example (docs/hall-config.md), if it exists.
    expect(value(unit, 'Service', 'ReadWritePaths')).toBe('-/srv/govhall-backups');
    expect(readFileSync(join(REPO, 'docs/hall-config.md'), 'utf8')).toContain('dir: /srv/govhall-backups');
    expect(value(unit, 'Install', 'WantedBy')).toBe('multi-user.target');
  });

  it('is restarted whenever it stops, and is hardened without losing what the hub needs', () => {
    expect(value(unit, 'Service', 'Restart')).toBe('always');
    expect(Number(value(unit, 'Service', 'RestartSec'))).toBeGreaterThan(0);
    expect(value(unit, 'Unit', 'StartLimitIntervalSec')).toBe('0');
    expect(value(unit, 'Service', 'NoNewPrivileges')).toBe('yes');
    expect(value(unit, 'Service', 'ProtectHome')).toBe('yes');
    expect(value(unit, 'Service', 'PrivateTmp')).toBe('yes');
    expect(value(unit, 'Service', 'CapabilityBoundingSet')).toBe('');
    // It listens on IPv4/IPv6 and Node uses Unix sockets; V8 needs writable+executable memory.
    expect(value(unit, 'Service', 'RestrictAddressFamilies')!.split(' ')).toEqual(
      expect.arrayContaining(['AF_INET', 'AF_INET6', 'AF_UNIX']),
    );
    expect(value(unit, 'Service', 'MemoryDenyWriteExecute') ?? 'no').toBe('no');
    // Port 8800 needs no privilege; a capability to bind below 1024 would show up here.
    expect(value(unit, 'Service', 'AmbientCapabilities')).toBe('');
  });
});

describe('the terminal user unit and its autostart fallback', () => {
  const unit = parseIni(read('govhall-terminal.service'));
  const desktop = parseIni(read('govhall-terminal.desktop'));

  it('starts the installed app in the graphical session and restarts it whenever it exits', () => {
    expect(value(unit, 'Service', 'ExecStart')).toBe(TERMINAL_BINARY);
    expect(value(unit, 'Service', 'Restart')).toBe('always');
    expect(Number(value(unit, 'Service', 'RestartSec'))).toBeGreaterThan(0);
    expect(value(unit, 'Unit', 'StartLimitIntervalSec')).toBe('0');
    expect(value(unit, 'Unit', 'PartOf')).toBe('graphical-session.target');
    expect(value(unit, 'Install', 'WantedBy')).toBe('graphical-session.target');
    // A user unit runs as the session's user: no User= of its own.
    expect(value(unit, 'Service', 'User')).toBeUndefined();
    expect(fpmTargets.get('build/linux/govhall-terminal.service')).toBe(
      '/usr/lib/systemd/user/govhall-terminal.service',
    );
  });

  it('has an XDG autostart entry that starts the same unit (or keeps the app running without systemd)', () => {
    expect(value(desktop, 'Desktop Entry', 'Type')).toBe('Application');
    expect(value(desktop, 'Desktop Entry', 'Name')).toBeTruthy();
    expect(value(desktop, 'Desktop Entry', 'NoDisplay')).toBe('true');
    expect(fpmTargets.get('build/linux/govhall-terminal.desktop')).toBe('/etc/xdg/autostart/govhall-terminal.desktop');
    const exec = value(desktop, 'Desktop Entry', 'Exec');
    expect(exec).toBe(fpmTargets.get('build/linux/terminal-autostart'));
    const script = read('terminal-autostart');
    expect(script).toContain('systemctl --user import-environment DISPLAY WAYLAND_DISPLAY');
    expect(script).toContain('systemctl --user start govhall-terminal.service');
    expect(script).toContain(TERMINAL_BINARY);
    expect(spawnSync('sh', ['-n', join(LINUX, 'terminal-autostart')]).status).toBe(0);
    // fpm keeps the file's mode: it must be executable in the package.
    expect(statSync(join(LINUX, 'terminal-autostart')).mode & 0o111).toBe(0o111);
  });
});

describe('systemd-analyze verify', () => {
  it('accepts both units without a warning (where systemd-analyze is installed)', () => {
    if (!which('systemd-analyze')) {
      // An extra check on top of the text checks above, not a replacement: CI images without systemd lack it.
      console.info(
        'systemd-analyze 未安装，只做了文本检查 / systemd-analyze not installed: units checked as text only',
      );
      return;
    }
    const dir = tempDir('govhall-units-');
    // The terminal's binary comes with the package; verify checks that ExecStart is executable, so the
    // copy verified here points at a stand-in. Nothing else in the file changes.
    const standIn = join(dir, 'govhall');
    writeFileSync(standIn, '#!/bin/sh\n');
    chmodSync(standIn, 0o755);
    const terminal = read('govhall-terminal.service');
    expect(terminal).toContain(`ExecStart=${TERMINAL_BINARY}\n`);
    writeFileSync(
      join(dir, 'govhall-terminal.service'),
      terminal.replace(`ExecStart=${TERMINAL_BINARY}`, `ExecStart=${standIn}`),
    );
    const runtime = join(dir, 'runtime');
    mkdirSync(runtime, { mode: 0o700 });

    const hub = spawnSync('systemd-analyze', ['verify', join(LINUX, 'govhall-hub.service')], { encoding: 'utf8' });
    expect({ code: hub.status, out: `${hub.stdout}${hub.stderr}`.trim() }).toEqual({ code: 0, out: '' });
    const user = spawnSync('systemd-analyze', ['--user', 'verify', join(dir, 'govhall-terminal.service')], {
      encoding: 'utf8',
      env: { ...process.env, XDG_RUNTIME_DIR: runtime },
    });
    expect({ code: user.status, out: `${user.stdout}${user.stderr}`.trim() }).toEqual({ code: 0, out: '' });
  });
});

describe('the udev rule (60-govhall.rules)', () => {
  const rules = parseUdev(read('60-govhall.rules'));
  const find = (match: (t: UdevToken[]) => boolean) => rules.filter(match);
  const has = (rule: UdevToken[], key: string, op: string, v: string) =>
    rule.some((t) => t.key === key && t.op === op && t.value === v);

  it('gives serial ports to dialout and hidraw to plugdev, mode 0660, and parses as udev rules', () => {
    expect(rules.length).toBeGreaterThan(0);
    for (const kernel of ['ttyUSB[0-9]*', 'ttyACM[0-9]*']) {
      const [rule] = find((r) => has(r, 'SUBSYSTEM', '==', 'tty') && has(r, 'KERNEL', '==', kernel));
      expect(rule, kernel).toBeDefined();
      expect(has(rule!, 'GROUP', '=', 'dialout') && has(rule!, 'MODE', '=', '0660')).toBe(true);
    }
    const [hid] = find((r) => has(r, 'SUBSYSTEM', '==', 'hidraw'));
    expect(hid).toBeDefined();
    expect(hid!.find((t) => t.key === 'GROUP')?.value).toMatch(/^(plugdev|dialout)$/);
    expect(has(hid!, 'MODE', '=', '0660')).toBe(true);
    // No device is opened wider than its group.
    for (const rule of rules) for (const t of rule) if (t.key === 'MODE') expect(t.value).toMatch(/^0[0-7][0-7]0$/);
    expect(fpmTargets.get('build/linux/60-govhall.rules')).toBe('/lib/udev/rules.d/60-govhall.rules');
  });

  it('the parser refuses what udev would not read', () => {
    expect(() => parseUdev('SUBSYSTEM=="tty", GROUP="dialout", MODE=0660\n')).toThrow(/cannot parse/);
    expect(() => parseUdev('SUBSYSTEM=="tty"\n')).toThrow(/no assignment/);
    expect(() => parseUdev('SUBSYTEM=="tty", GROUP="dialout"\n')).toThrow(/not a known match/);
  });
});

describe('the deb maintainer scripts', () => {
  /** What electron-builder substitutes in them (FpmTarget: the names, then the linux options). */
  const MACROS: Record<string, string> = {
    executable: config.executableName,
    sanitizedProductName: config.productName,
    productFilename: config.executableName,
  };
  const filled = (name: string) => {
    const text = read(name);
    const unknown = [...text.matchAll(/\$\{([a-zA-Z]+)\}/g)]
      .map((m) => m[1]!)
      .filter((m) => !(m in MACROS) && !(m in config.linux));
    // electron-builder stops with "Macro … is not defined" on any other ${name}.
    expect(unknown, name).toEqual([]);
    return text.replace(/\$\{([a-zA-Z]+)\}/g, (_, m: string) => MACROS[m] ?? String(config.linux[m]));
  };

  it('are wired into the deb and are valid bash once electron-builder fills them in', () => {
    expect(config.deb.afterInstall).toBe('build/linux/after-install.sh');
    expect(config.deb.afterRemove).toBe('build/linux/after-remove.sh');
    const dir = tempDir('govhall-debscripts-');
    for (const name of ['after-install.sh', 'after-remove.sh']) {
      const file = join(dir, name);
      writeFileSync(file, filled(name));
      const r = spawnSync('bash', ['-n', file], { encoding: 'utf8' });
      expect({ name, code: r.status, err: r.stderr }).toEqual({ name, code: 0, err: '' });
    }
  });

  it('after install: the command, the sandbox, device groups, udev reload and the terminal unit for every user', () => {
    const text = filled('after-install.sh');
    expect(text).toContain(`APP_DIR='/opt/${config.productName}'`);
    expect(text).toContain('update-alternatives --install');
    expect(text).toContain('chrome-sandbox');
    expect(text).toMatch(/usermod -a -G dialout,plugdev,lp/);
    expect(text).toContain('udevadm control --reload-rules');
    expect(text).toContain('udevadm trigger');
    expect(text).toContain('systemctl --global enable govhall-terminal.service');
  });

  it('after remove: undoes it on remove or purge only, never on an upgrade', () => {
    const text = filled('after-remove.sh');
    expect(text).toMatch(/case "\$1" in\s+remove \| purge\) ;;\s+\*\) exit 0 ;;/);
    expect(text).toContain('update-alternatives --remove');
    expect(text).toContain('rm -f /etc/systemd/user/graphical-session.target.wants/govhall-terminal.service');
    expect(text).toContain('udevadm control --reload-rules');
  });
});
