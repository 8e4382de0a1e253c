/**
 * ID numbers at rest: AES-256-GCM with a key file kept outside the database, and a keyed hash
 * (HMAC-SHA256) so a number can be looked up without decrypting every row. Both keys derive from
 * one master key through HKDF, so one file is enough to back up.
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StoreError } from './store-error.js';

export interface DataKey {
  master: Buffer;
  path: string;
  /** Chinese warnings for the operator, e.g. a key file readable by others. */
  warnings: string[];
}

export function loadOrCreateDataKey(dataDir: string): DataKey {
  const dir = join(dataDir, 'keys');
  const path = join(dir, 'data.key');
  const warnings: string[] = [];
  if (!existsSync(path)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(path, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    chmodSync(path, 0o600);
  } else if (process.platform !== 'win32' && (statSync(path).mode & 0o077) !== 0) {
    warnings.push(`密钥文件 ${path} 的权限过宽，请执行 chmod 600 ${path}`);
  }
  const master = Buffer.from(readFileSync(path, 'utf8').trim(), 'base64');
  if (master.length !== 32) throw new StoreError('KEY_INVALID', `密钥文件 ${path} 已损坏（应为 32 字节的 base64）`);
  return { master, path, warnings };
}

/**
 * A short public name of a master key (16 hex digits of a hash of a key derived for this purpose
 * only): recorded in the database, so a backup, a restore and a hub start can tell whether a key
 * file belongs to a database without trying to decrypt anything. It reveals nothing of the key.
 */
export function dataKeyId(master: Buffer): string {
  const derived = Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), 'govhall key id v1', 32));
  return createHash('sha256').update(derived).digest('hex').slice(0, 16);
}

/** The id of the key in a key file, or null when the file is missing or not a key. */
export function keyFileId(path: string): string | null {
  try {
    const master = Buffer.from(readFileSync(path, 'utf8').trim(), 'base64');
    return master.length === 32 ? dataKeyId(master) : null;
  } catch {
    return null;
  }
}

export class FieldCipher {
  private readonly encKey: Buffer;
  private readonly hashKey: Buffer;

  constructor(master: Buffer) {
    this.encKey = Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), 'govhall field encryption v1', 32));
    this.hashKey = Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), 'govhall lookup hash v1', 32));
  }

  encrypt(plain: string): string {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', this.encKey, iv);
    const ct = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
    return `v1:${iv.toString('base64')}:${c.getAuthTag().toString('base64')}:${ct.toString('base64')}`;
  }

  decrypt(sealed: string): string {
    const [v, iv, tag, ct] = sealed.split(':');
    if (v !== 'v1' || !iv || !tag || ct === undefined) throw new StoreError('KEY_INVALID', '加密字段格式无法识别');
    const d = createDecipheriv('aes-256-gcm', this.encKey, Buffer.from(iv, 'base64'));
    d.setAuthTag(Buffer.from(tag, 'base64'));
    try {
      return Buffer.concat([d.update(Buffer.from(ct, 'base64')), d.final()]).toString('utf8');
    } catch {
      throw new StoreError('KEY_INVALID', '无法解密证件号码：密钥文件与数据库不匹配');
    }
  }

  /** Keyed hash of a normalised ID number, for equality lookups. */
  lookupHash(certNo: string): string {
    return createHmac('sha256', this.hashKey).update(certNo.trim().toUpperCase()).digest('hex');
  }
}
