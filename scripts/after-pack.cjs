// electron-builder afterPack hook (electron-builder.yml): flips the Electron fuses of the packed app
// before it is signed and wrapped into an installer. The settings are the shell's when it exports
// them (main/shell/fuses.ts, bundled by scripts/build-shell.mjs to dist/shell/fuses.cjs, exporting
// `FUSES`: @electron/fuses' FuseV1Options, by name or by value, mapped to booleans); otherwise the standard set
// below. Either way the five fuses of the terminal's security checklist (shared/docs/terminal.md)
// must hold, or the build stops: a terminal whose binary can run as Node, take NODE_OPTIONS or
// --inspect, or load code from outside its checked asar is not shipped.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

/** The checklist: these values are required whatever the shell's module says. */
const REQUIRED_FUSES = Object.freeze({
  RunAsNode: false,
  EnableNodeOptionsEnvironmentVariable: false,
  EnableNodeCliInspectArguments: false,
  EnableEmbeddedAsarIntegrityValidation: true,
  OnlyLoadAppFromAsar: true,
});

const SHELL_FUSES = join(__dirname, '..', 'dist', 'shell', 'fuses.cjs');

/** The shell's settings if it exports them, else null. */
function shellFuses(file = SHELL_FUSES) {
  if (!existsSync(file)) return null;
  const mod = require(file);
  const fuses = mod.FUSES ?? mod.default?.FUSES;
  if (!fuses || typeof fuses !== 'object')
    throw new Error(`FUSES_MISSING: ${file} 没有导出 FUSES（熔丝名 → 布尔值）；请在 main/shell/fuses.ts 中导出`);
  return fuses;
}

/**
 * The @electron/fuses config for `settings` (names → booleans, the shell's or null): the required
 * set over them, refusing a setting that contradicts it and a name @electron/fuses does not know.
 */
function fuseConfig(FuseV1Options, FuseVersion, settings) {
  const merged = {};
  for (const [key, value] of Object.entries(settings ?? {})) {
    // TypeScript enums map both ways: FuseV1Options[0] is 'RunAsNode'.
    const name = /^\d+$/.test(key) ? FuseV1Options[key] : key;
    if (typeof name !== 'string')
      throw new Error(`FUSE_UNKNOWN: 未知熔丝编号 ${key}；名称见 @electron/fuses 的 FuseV1Options`);
    merged[name] = value;
  }
  for (const [name, value] of Object.entries(REQUIRED_FUSES)) {
    if (name in merged && merged[name] !== value)
      throw new Error(
        `FUSE_CHECKLIST: 熔丝 ${name} 必须为 ${value}（终端安全清单），main/shell/fuses.ts 设为 ${merged[name]}；请改回`,
      );
    merged[name] = value;
  }
  const config = { version: FuseVersion.V1 };
  for (const [name, value] of Object.entries(merged)) {
    const index = FuseV1Options[name];
    if (typeof index !== 'number' || typeof value !== 'boolean')
      throw new Error(
        `FUSE_UNKNOWN: 未知熔丝或非布尔值 ${name}=${String(value)}；名称见 @electron/fuses 的 FuseV1Options`,
      );
    config[index] = value;
  }
  return config;
}

/** The Electron binary electron-builder packed, per platform. */
function electronBinary(context) {
  const { appOutDir, electronPlatformName, packager } = context;
  const name = packager.appInfo.productFilename;
  if (electronPlatformName === 'win32') return join(appOutDir, `${name}.exe`);
  if (electronPlatformName === 'darwin' || electronPlatformName === 'mas') return join(appOutDir, `${name}.app`);
  return join(appOutDir, packager.executableName);
}

async function afterPack(context) {
  // @electron/fuses is an ES module.
  const { flipFuses, FuseV1Options, FuseVersion } = await import('@electron/fuses');
  const config = fuseConfig(FuseV1Options, FuseVersion, shellFuses());
  config.resetAdHocDarwinSignature = context.electronPlatformName === 'darwin';
  await flipFuses(electronBinary(context), config);
}

module.exports = afterPack;
module.exports.default = afterPack;
module.exports.fuseConfig = fuseConfig;
module.exports.shellFuses = shellFuses;
module.exports.electronBinary = electronBinary;
module.exports.REQUIRED_FUSES = REQUIRED_FUSES;
