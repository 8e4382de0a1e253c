// electron-builder afterPack hook (electron-builder.yml): flips the Electron fuses of the packed app
// before it is signed and wrapped into an installer. The settings are the shell's `GOVHALL_FUSES`
// (main/shell/fuses.ts: a @electron/fuses FuseV1Config, bundled by scripts/build-shell.mjs to
// dist/shell/fuses.cjs); without that file, the checklist set below. Either way the five fuses of
// the terminal's security checklist (shared/docs/terminal.md, docs/shell.md) must hold, or the
// build stops: a terminal whose binary can run as Node, take NODE_OPTIONS or --inspect, or load
// code from outside its checked asar is not shipped.
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
  const fuses = require(file).GOVHALL_FUSES;
  if (!fuses || typeof fuses !== 'object')
    throw new Error(`FUSES_MISSING: ${file} 没有导出 GOVHALL_FUSES；请在 main/shell/fuses.ts 中导出它`);
  return fuses;
}

/**
 * The @electron/fuses config for `settings` (the shell's FuseV1Config, fuses by value or by name, or
 * null): the required set over them, refusing a setting that contradicts it, a fuse @electron/fuses
 * does not know and a fuse wire version it does not write.
 */
function fuseConfig(FuseV1Options, FuseVersion, settings) {
  const { version = FuseVersion.V1, strictlyRequireAllFuses, ...fuses } = settings ?? {};
  if (version !== FuseVersion.V1)
    throw new Error(
      `FUSE_VERSION: 熔丝版本 ${String(version)} 不是 @electron/fuses 的 FuseVersion.V1；请更新 after-pack.cjs`,
    );
  const merged = {};
  for (const [key, value] of Object.entries(fuses)) {
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
  // The shell's choice: fail the build when Electron gains a fuse nobody has decided on yet.
  if (strictlyRequireAllFuses !== undefined) config.strictlyRequireAllFuses = strictlyRequireAllFuses;
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
