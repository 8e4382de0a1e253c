/** `--platform-url`, `--platform-secret-file`, `--platform-alg` of `govhall start|hub|sync`: they override the config. */
import type { PlatformOverride } from '../sync/platform-settings.js';
import { SIGNATURE_ALGS, type SignatureAlg } from '../sync/request-signature.js';
import { CliError } from './cli-error.js';

export const PLATFORM_FLAGS = {
  'platform-url': { type: 'string' },
  'platform-secret-file': { type: 'string' },
  'platform-alg': { type: 'string' },
} as const;

export const PLATFORM_USAGE = `  --platform-url URL          省级平台地址，覆盖配置中的 platform.url / provincial platform URL
  --platform-secret-file FILE 平台签名密钥文件 / file holding the signing secret
  --platform-alg ALG          签名算法 HMAC-SHA256 或 HMAC-SM3 / signature algorithm
  未配置平台时大厅照常运行，办件和评价在发件箱中等待 / without a platform the hall runs and the outbox waits`;

export function platformFlags(values: {
  'platform-url'?: string | undefined;
  'platform-secret-file'?: string | undefined;
  'platform-alg'?: string | undefined;
}): PlatformOverride {
  const alg = values['platform-alg'];
  if (alg !== undefined && !SIGNATURE_ALGS.includes(alg as SignatureAlg)) {
    throw new CliError(`选项 --platform-alg 应为 ${SIGNATURE_ALGS.join(' 或 ')}，收到「${alg}」`);
  }
  const url = values['platform-url'];
  if (url !== undefined && !/^https?:\/\/\S+$/.test(url)) {
    throw new CliError(`选项 --platform-url 应以 http:// 或 https:// 开头，收到「${url}」`);
  }
  const secretFile = values['platform-secret-file'];
  return {
    ...(url ? { url } : {}),
    ...(secretFile ? { secretFile } : {}),
    ...(alg ? { alg: alg as SignatureAlg } : {}),
  };
}
