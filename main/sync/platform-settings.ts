/**
 * Resolves where and how the hall syncs: the config's `platform:` section, overridden by
 * `--platform-url`, `--platform-secret-file` and `--platform-alg`, with the secret read from its file.
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { HallConfig } from '../../kiosk-config/hall-config.js';
import { defaultPlatformConfig, type PlatformConfig } from '../../kiosk-config/platform-schema.js';
import type { SignatureAlg } from './request-signature.js';

export interface PlatformOverride {
  url?: string;
  secretFile?: string;
  alg?: SignatureAlg;
}

export interface PlatformSettings extends Omit<PlatformConfig, 'url' | 'secretFile' | 'hallCode' | 'areaCode'> {
  url: string;
  hallCode: string;
  areaCode: string;
  secret: string;
  secretFile: string;
}

/** A platform setting that cannot work; the message is for the operator (Chinese). */
export class SyncConfigError extends Error {
  readonly code = 'PLATFORM_CONFIG';
}

/** Alarm thresholds apply even without a platform: a growing outbox is worth knowing about. */
export function alarmThresholds(config: HallConfig): PlatformConfig['alarm'] {
  return config.platform?.alarm ?? defaultPlatformConfig().alarm;
}

/** `null` when no platform is configured (the hall runs normally, the outbox waits). */
export function resolvePlatform(
  config: HallConfig,
  override: PlatformOverride = {},
  configPath?: string,
): PlatformSettings | null {
  const base: PlatformConfig = { ...defaultPlatformConfig(), ...config.platform };
  const url = override.url ?? base.url;
  if (!url) {
    // A secret or algorithm given for no platform is a mistake to point out, not to ignore silently.
    const given = override.secretFile ? '--platform-secret-file' : override.alg ? '--platform-alg' : null;
    if (given) {
      throw new SyncConfigError(`给了 ${given} 但没有平台地址：请同时给出 --platform-url，或在配置中写 platform.url`);
    }
    return null;
  }
  if (!/^https?:\/\/\S+$/.test(url)) throw new SyncConfigError(`平台地址「${url}」应以 http:// 或 https:// 开头`);
  let secretFile = override.secretFile;
  if (!secretFile && base.secretFile) {
    secretFile =
      isAbsolute(base.secretFile) || !configPath ? base.secretFile : resolve(dirname(configPath), base.secretFile);
  }
  if (!secretFile) {
    throw new SyncConfigError(
      '已配置平台地址但没有密钥文件：请在 platform.secretFile 或 --platform-secret-file 中给出',
    );
  }
  let secret: string;
  try {
    secret = readFileSync(secretFile, 'utf8').trim();
  } catch (e) {
    throw new SyncConfigError(
      `无法读取平台密钥文件 ${secretFile}：${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
  if (!secret) throw new SyncConfigError(`平台密钥文件 ${secretFile} 是空的`);
  const alg = override.alg ?? base.alg;
  return {
    ...base,
    url: url.replace(/\/+$/, ''),
    hallCode: base.hallCode ?? config.hall.code,
    areaCode: base.areaCode ?? config.hall.areaCode,
    secret,
    secretFile,
    alg,
  };
}
