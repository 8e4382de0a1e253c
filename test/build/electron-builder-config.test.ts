/**
 * electron-builder.yml, checked without building an installer (no Electron binary here): against
 * electron-builder's own JSON schema, every file it names exists, the native modules it unpacks are
 * real production dependencies, the update feed is not fixed in it, the afterPack hook flips the
 * fuses of the terminal's security checklist, and the Windows pieces (NSIS include, watchdog, the
 * hub's WinSW service) say what the deployment guide says.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { ROUTE_ADDRESSES } from '../../common/api/addresses.js';
import { updateFeedUrl } from '../../main/shell/update-feed.js';
import { tempDir } from '../support/hub-client.js';
import { builderSchema, loadBuilderConfig, productionPackages, REPO } from '../support/packaging.js';

/** app-builder-lib's folder, as electron-builder resolves it. */
const builderLibDir = () => join(builderSchema().path, '..');

const require = createRequire(import.meta.url);
const afterPack = require('../../scripts/after-pack.cjs') as typeof import('../../scripts/after-pack.cjs');
const config = loadBuilderConfig();

function validator() {
  const { schema } = builderSchema();
  // The schema uses draft-07 and its own keywords (e.g. `markdownDescription`); not strict about those.
  return new Ajv({ allErrors: true, strict: false }).compile(schema);
}
const errorsOf = (validate: ReturnType<typeof validator>) =>
  (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`);

describe('electron-builder.yml', () => {
  it('is valid against the schema of the installed electron-builder', () => {
    const { path } = builderSchema();
    expect(path).toMatch(/app-builder-lib[\\/]scheme\.json$/);
    const validate = validator();
    const ok = validate(config);
    expect(errorsOf(validate)).toEqual([]);
    expect(ok).toBe(true);
  });

  it('the schema check has teeth: a misspelled key or a wrongly typed value is refused', () => {
    const validate = validator();
    expect(validate({ ...config, nsis: { ...config.nsis, perMachin: true } })).toBe(false);
    expect(errorsOf(validate).join('\n')).toContain('/nsis must NOT have additional properties');
    // The LCID as a number (how the first draft of this file had it) is not what electron-builder reads.
    expect(validate({ ...config, nsis: { ...config.nsis, language: 2052 } })).toBe(false);
    expect(errorsOf(validate).join('\n')).toContain('/nsis/language must be null,string');
  });

  it('names only files that exist in the repository', () => {
    const named = [
      config.afterPack,
      config.nsis.include,
      config.deb.afterInstall,
      config.deb.afterRemove,
      ...(config.deb.fpm as string[]).map((arg) => arg.split('=')[0]!),
      ...(config.win.extraResources as { from: string }[]).map((r) => r.from),
      ...(config.extraResources as { from: string }[]).map((r) => r.from),
    ];
    expect(named.filter((f) => !existsSync(join(REPO, f)))).toEqual([]);
    expect(config.directories.buildResources).toBe('build');
  });

  it('unpacks from the asar exactly the native modules, which exist and are packed as production dependencies', () => {
    const production = productionPackages();
    const unpacked = (config.asarUnpack as string[]).map((p) => {
      const m = /^\*\*\/node_modules\/((?:@[^/]+\/)?[^/]+)\/\*\*$/.exec(p);
      expect(m, `${p} names one package`).not.toBeNull();
      return m![1]!;
    });
    expect(unpacked.sort()).toEqual(['@serialport/bindings-cpp', 'better-sqlite3', 'node-hid']);
    for (const name of unpacked) {
      const dir = join(REPO, 'node_modules', name);
      expect(existsSync(join(dir, 'package.json')), name).toBe(true);
      expect(production.has(name), `${name} is a production dependency`).toBe(true);
      // Native: built from a binding.gyp (rebuilt for Electron by npmRebuild).
      expect(readdirSync(dir), name).toContain('binding.gyp');
    }
    expect(config.npmRebuild).toBe(true);
  });

  it('builds NSIS per machine in Chinese, AppImage and deb for x64 and arm64', () => {
    expect(config.win.target).toEqual([{ target: 'nsis', arch: ['x64', 'arm64'] }]);
    expect(config.nsis).toMatchObject({
      perMachine: true,
      oneClick: false,
      language: '2052',
      installerLanguages: ['zh_CN'],
    });
    expect(config.linux.target).toEqual([
      { target: 'AppImage', arch: ['x64', 'arm64'] },
      { target: 'deb', arch: ['x64', 'arm64'] },
    ]);
  });

  it('does not fix the update address: only the hub route’s path, one range per request', () => {
    expect(config.publish).toEqual({ provider: 'generic', url: '/api/v1/updates/', useMultipleRangeRequest: false });
    // A path on no host: the shell puts it on the paired hub at run time (update-feed.ts).
    expect(() => new URL(config.publish.url)).toThrow();
    expect(`/api/v1${ROUTE_ADDRESSES.updateFile.path.replace('{file}', '')}`).toBe(config.publish.url);
    expect(updateFeedUrl('http://192.168.10.2:8800')).toBe(`http://192.168.10.2:8800${config.publish.url}`);
  });

  it('passes electron-builder’s own checks of the project: package metadata, configuration, the deb’s homepage and maintainer', async () => {
    // electron-builder's Packager reads package.json and electron-builder.yml exactly as `npm run dist`
    // does, and refuses what it would refuse there (offline: no Electron is downloaded for this).
    const lib = require(join(builderLibDir(), 'out', 'index.js'));
    const packager = new lib.Packager({ projectDir: REPO });
    await packager.validateConfig();
    const appInfo = new lib.AppInfo(packager, null);
    expect(await appInfo.computePackageUrl()).toMatch(/^https:\/\//);
    expect(appInfo.companyName).toBeTruthy();
    expect(appInfo.description).toBeTruthy();
    // The deb (fpm) target's own check: a homepage and a maintainer, else it stops.
    const FpmTarget = require(join(builderLibDir(), 'out', 'targets', 'FpmTarget.js')).default;
    const meta = (packagerLike: unknown, options: object) =>
      FpmTarget.prototype.computeFpmMetaInfoOptions.call({ packager: packagerLike, options });
    const debOptions = { ...config.linux, ...config.deb };
    expect(await meta({ appInfo, info: packager }, debOptions)).toMatchObject({
      url: await appInfo.computePackageUrl(),
      maintainer: config.linux.maintainer,
    });
    // The check has teeth: without a homepage the deb is refused.
    const noHomepage = { computePackageUrl: async () => null };
    await expect(meta({ appInfo: noHomepage, info: packager }, debOptions)).rejects.toThrow(/homepage/);
  }, 60_000);
});

describe('scripts/after-pack.cjs', () => {
  const FuseVersion = { V1: '1' };
  // @electron/fuses' enum, both ways, as TypeScript emits it.
  const FuseV1Options: Record<string, string | number> = {};
  [
    'RunAsNode',
    'EnableCookieEncryption',
    'EnableNodeOptionsEnvironmentVariable',
    'EnableNodeCliInspectArguments',
    'EnableEmbeddedAsarIntegrityValidation',
    'OnlyLoadAppFromAsar',
    'LoadBrowserProcessSpecificV8Snapshot',
    'GrantFileProtocolExtraPrivileges',
    'WasmTrapHandlers',
  ].forEach((name, i) => {
    FuseV1Options[name] = i;
    FuseV1Options[i] = name;
  });

  it('requires the five fuses of the terminal checklist', () => {
    expect(afterPack.REQUIRED_FUSES).toEqual({
      RunAsNode: false,
      EnableNodeOptionsEnvironmentVariable: false,
      EnableNodeCliInspectArguments: false,
      EnableEmbeddedAsarIntegrityValidation: true,
      OnlyLoadAppFromAsar: true,
    });
    expect(afterPack.fuseConfig(FuseV1Options, FuseVersion, null)).toEqual({
      version: '1',
      0: false,
      2: false,
      3: false,
      4: true,
      5: true,
    });
  });

  it("adds the shell's other settings (by name or by value) and refuses ones against the checklist or unknown", () => {
    expect(
      afterPack.fuseConfig(FuseV1Options, FuseVersion, { EnableCookieEncryption: true, 7: false, RunAsNode: false }),
    ).toMatchObject({ 0: false, 1: true, 5: true, 7: false });
    expect(() => afterPack.fuseConfig(FuseV1Options, FuseVersion, { OnlyLoadAppFromAsar: false })).toThrow(
      /FUSE_CHECKLIST: 熔丝 OnlyLoadAppFromAsar 必须为 true/,
    );
    expect(() => afterPack.fuseConfig(FuseV1Options, FuseVersion, { RunAsNod: false })).toThrow(/FUSE_UNKNOWN/);
    expect(() => afterPack.fuseConfig(FuseV1Options, FuseVersion, { 42: false })).toThrow(/FUSE_UNKNOWN/);
    expect(() => afterPack.fuseConfig(FuseV1Options, FuseVersion, { version: '2' })).toThrow(/FUSE_VERSION/);
  });

  it("takes the shell's GOVHALL_FUSES as they are, checklist included, keeping strictlyRequireAllFuses", async () => {
    const { GOVHALL_FUSES } = await import('../../main/shell/fuses.js');
    const fuses = await import('@electron/fuses');
    const config = afterPack.fuseConfig(
      fuses.FuseV1Options as unknown as Record<string, string | number>,
      fuses.FuseVersion,
      GOVHALL_FUSES as unknown as Record<string, unknown>,
    );
    const { version, strictlyRequireAllFuses, ...set } = GOVHALL_FUSES;
    expect(config).toEqual({ ...set, version, strictlyRequireAllFuses });
  });

  it('flips them in the packed binary (an Electron-like file with a fuse wire, Linux and Windows names)', async () => {
    // dist/shell/fuses.cjs, when built, is the shell's GOVHALL_FUSES; otherwise the checklist set.
    const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
    // Electron's defaults: RunAsNode, NODE_OPTIONS and --inspect on; integrity and asar-only off.
    const wire = () =>
      Buffer.concat([
        Buffer.alloc(4096, 7),
        Buffer.from(SENTINEL),
        Buffer.from([1, 9]),
        Buffer.from('101100000'),
        Buffer.alloc(64),
      ]);
    // On Windows electron-builder names the exe after executableName (appInfo.productFilename).
    const packager = { executableName: config.executableName, appInfo: { productFilename: config.executableName } };
    for (const [platform, file] of [
      ['linux', config.executableName],
      ['win32', `${config.executableName}.exe`],
    ] as const) {
      const appOutDir = tempDir('govhall-afterpack-');
      writeFileSync(join(appOutDir, file), wire());
      const context = { appOutDir, electronPlatformName: platform, packager };
      expect(afterPack.electronBinary(context)).toBe(join(appOutDir, file));
      await afterPack(context);
      const bytes = readFileSync(join(appOutDir, file));
      const at = bytes.indexOf(SENTINEL) + SENTINEL.length + 2;
      const state = (i: number) => String.fromCharCode(bytes[at + i]!);
      expect([0, 2, 3, 4, 5].map(state), platform).toEqual(['0', '0', '0', '1', '1']);
    }
  });
});

describe('the Windows pieces', () => {
  const nsh = readFileSync(join(REPO, config.nsis.include), 'utf8');
  const watchdog = readFileSync(join(REPO, 'build/windows/govhall-watchdog.ps1'), 'utf8');
  const winsw = readFileSync(join(REPO, 'build/windows/govhall-hub.xml'), 'utf8');

  it('the installer registers a logon task that runs the watchdog shipped in resources, and removes it', () => {
    const shipped = (config.win.extraResources as { from: string; to: string }[]).find((r) =>
      r.from.endsWith('govhall-watchdog.ps1'),
    );
    expect(shipped?.to).toBe('govhall-watchdog.ps1');
    expect(nsh).toMatch(/!macro customInstall\b[\s\S]*schtasks\.exe" \/Create \/F \/TN "govhall\\terminal" \/XML/);
    expect(nsh).toContain('<LogonTrigger>');
    expect(nsh).toContain('-File "$INSTDIR\\resources\\govhall-watchdog.ps1"');
    expect(nsh).toMatch(/!macro customUnInstall\b[\s\S]*\/Delete \/F \/TN "govhall\\terminal"/);
    // Stopped before files are replaced, so it cannot restart the app in the middle of an update.
    expect(nsh).toMatch(/!macro customInit\b[\s\S]*govhallEndTask/);
    expect(nsh).toMatch(/!macro govhallEndTask\b[\s\S]*\/End \/TN "govhall\\terminal"/);
    // Every macro is closed.
    expect(nsh.match(/^!macro /gm)?.length).toBe(nsh.match(/^!macroend/gm)?.length);
  });

  it('the watchdog starts the installed govhall.exe and starts it again after it exits', () => {
    expect(watchdog).toContain(`Join-Path $PSScriptRoot '..\\${config.executableName}.exe'`);
    expect(watchdog).toMatch(/while \(\$true\) \{[\s\S]*Start-Process -FilePath \$exe -PassThru[\s\S]*WaitForExit\(\)/);
  });

  it('the hub service (WinSW) runs `govhall hub` on the LAN port and restarts it on failure', () => {
    // Well-formed: every element closed in order (comments aside).
    const stack: string[] = [];
    for (const m of winsw.replace(/<!--[\s\S]*?-->/g, '').matchAll(/<(\/?)([\w:.-]+)[^>]*?(\/?)>/g)) {
      if (m[3]) continue;
      if (m[1]) expect(stack.pop()).toBe(m[2]);
      else stack.push(m[2]!);
    }
    expect(stack).toEqual([]);
    expect(winsw).toContain('<id>govhall-hub</id>');
    expect(winsw).toMatch(
      /<arguments>"[^"]+\\bin\\govhall\.mjs" hub --config "[^"]+" --data "[^"]+" --host 0\.0\.0\.0 --port 8800<\/arguments>/,
    );
    expect(winsw).toContain('<onfailure action="restart"');
    expect(winsw).toContain('<startmode>Automatic</startmode>');
  });
});
