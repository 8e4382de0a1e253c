/**
 * Case materials (申请材料 scanned at the window): each distinct file stored once, addressed by the
 * SHA-256 of its bytes, AES-256-GCM sealed with a key derived from the hall's data key — the
 * plaintext never touches the disk (not the database, its WAL, a temp file or a log).
 *
 * Durability order: the sealed file is written to a temp name, fsynced, renamed into place and its
 * folder fsynced BEFORE the row that names it commits, so a crash can leave a file without a row
 * (an orphan, removed by `sweepOrphans` at start) but never a row without its file. Deletion runs
 * the other way: the row goes first, then the file.
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import type { MATERIAL_CONTENT_TYPES } from '../../common/api/material-routes.js';
import type { AuditEntry } from '../queue/repository.js';
import { appendAudit } from './audit.js';
import type { HallDatabase } from './database.js';
import { StoreError } from './store-error.js';

export type MaterialType = (typeof MATERIAL_CONTENT_TYPES)[number];

const MAGIC = Buffer.from('GHM1');
const IV_BYTES = 12;
const TAG_BYTES = 16;
const FOLDER = 'materials';
const TEMP = 'tmp';

export interface MaterialInfo {
  sha256: string;
  bytes: number;
  contentType: MaterialType;
}

export interface CaseMaterial extends MaterialInfo {
  name: string;
  attachedAt: number;
}

type Actor = AuditEntry['actor'];

/** Whether `bytes` start the way a file of `type` must (a PDF header, a JPEG SOI marker). */
export function hasMagic(type: MaterialType, bytes: Uint8Array): boolean {
  if (type === 'application/pdf') return Buffer.from(bytes.subarray(0, 5)).toString('latin1') === '%PDF-';
  return bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
}

export const sha256Hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

export class MaterialStore {
  private readonly db: Database.Database;
  private readonly root: string;
  private readonly encKey: Buffer;
  private readonly nameKey: Buffer;

  constructor(
    handle: HallDatabase,
    master: Buffer,
    private readonly opts: { now: () => number } = { now: () => Date.now() },
  ) {
    this.db = handle.db;
    this.root = join(handle.dataDir, FOLDER);
    this.encKey = Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), 'govhall material encryption v1', 32));
    this.nameKey = Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), 'govhall material file name v1', 32));
    mkdirSync(join(this.root, TEMP), { recursive: true, mode: 0o700 });
  }

  /** The file of a material, relative to the materials folder: a keyed name, so it tells nothing of the file. */
  private fileOf(sha256: string): string {
    const n = createHmac('sha256', this.nameKey).update(sha256).digest('hex');
    return `${n.slice(0, 2)}/${n}.gcm`;
  }

  private seal(sha256: string, plain: Uint8Array): Buffer {
    const iv = randomBytes(IV_BYTES);
    const c = createCipheriv('aes-256-gcm', this.encKey, iv);
    // The address is authenticated with the bytes: a file moved under another name fails to open.
    c.setAAD(Buffer.from(sha256));
    const ct = Buffer.concat([c.update(plain), c.final()]);
    return Buffer.concat([MAGIC, iv, c.getAuthTag(), ct]);
  }

  private open(sha256: string, sealed: Buffer): Buffer {
    if (sealed.length < MAGIC.length + IV_BYTES + TAG_BYTES || !sealed.subarray(0, 4).equals(MAGIC)) {
      throw new StoreError('MATERIAL_CORRUPT', `材料文件格式无法识别（${sha256.slice(0, 12)}…），请从备份恢复`);
    }
    const iv = sealed.subarray(4, 4 + IV_BYTES);
    const tag = sealed.subarray(4 + IV_BYTES, 4 + IV_BYTES + TAG_BYTES);
    const d = createDecipheriv('aes-256-gcm', this.encKey, iv);
    d.setAAD(Buffer.from(sha256));
    d.setAuthTag(tag);
    try {
      return Buffer.concat([d.update(sealed.subarray(4 + IV_BYTES + TAG_BYTES)), d.final()]);
    } catch {
      throw new StoreError('KEY_INVALID', '无法解密材料文件：密钥文件与数据不配套，或文件已损坏');
    }
  }

  /** Writes the sealed file durably (temp, fsync, rename, fsync the folder); the row is the caller's. */
  private writeFile(sha256: string, plain: Uint8Array): string {
    const rel = this.fileOf(sha256);
    const dir = join(this.root, rel.slice(0, 2));
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const tmp = join(this.root, TEMP, `${randomBytes(8).toString('hex')}.part`);
    const fd = openSync(tmp, 'wx', 0o600);
    try {
      const sealed = this.seal(sha256, plain);
      let off = 0;
      while (off < sealed.length) off += writeSync(fd, sealed, off, sealed.length - off);
      fsyncSync(fd);
    } catch (e) {
      closeSync(fd);
      rmSync(tmp, { force: true });
      throw e;
    }
    closeSync(fd);
    renameSync(tmp, join(this.root, rel));
    syncDir(dir);
    return rel;
  }

  /**
   * Stores a file uploaded while `ticketId` is served at `windowNo` (once per SHA-256: a second
   * upload of the same bytes writes nothing) and records the upload with its material name.
   */
  upload(
    input: { bytes: Uint8Array; contentType: MaterialType; name: string; ticketId: string; windowNo: number },
    actor: Actor,
  ): MaterialInfo & { name: string; stored: boolean } {
    const sha256 = sha256Hex(input.bytes);
    const now = this.opts.now();
    const known = this.db.prepare('SELECT 1 FROM materials WHERE sha256 = ?').get(sha256) !== undefined;
    // The file is in place (durably) before the row that names it commits.
    const file = known ? null : this.writeFile(sha256, input.bytes);
    this.db.transaction(() => {
      if (file) {
        this.db
          .prepare(
            'INSERT OR IGNORE INTO materials (sha256, bytes, content_type, file, stored_at) VALUES (?, ?, ?, ?, ?)',
          )
          .run(sha256, input.bytes.length, input.contentType, file, now);
      }
      this.db
        .prepare(
          `INSERT INTO material_uploads (ticket_id, sha256, name, window_no, staff_no, uploaded_at) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (ticket_id, sha256) DO UPDATE SET name = excluded.name, uploaded_at = excluded.uploaded_at`,
        )
        .run(input.ticketId, sha256, input.name, input.windowNo, actor.staffNo, now);
      appendAudit(this.db, {
        at: now,
        actor,
        action: 'material.upload',
        subject: sha256,
        result: 'ok',
        detail: {
          ticketId: input.ticketId,
          windowNo: input.windowNo,
          name: input.name,
          bytes: input.bytes.length,
          contentType: input.contentType,
          stored: file !== null,
        },
      });
    })();
    return { sha256, bytes: input.bytes.length, contentType: input.contentType, name: input.name, stored: !!file };
  }

  /** The SHA-256s uploaded for a ticket, with their names. */
  uploadsOf(ticketId: string): { sha256: string; name: string }[] {
    return this.db
      .prepare('SELECT sha256, name FROM material_uploads WHERE ticket_id = ? ORDER BY uploaded_at')
      .all(ticketId) as { sha256: string; name: string }[];
  }

  /**
   * Attaches uploaded materials to a case; call inside the transaction that records the case.
   * Every SHA-256 must have been uploaded for `ticketId`: the index of the first that was not is
   * returned (nothing attached), or null when all were attached.
   */
  attach(
    caseId: string,
    ticketId: string,
    materials: readonly { name: string; sha256: string }[],
    actor: Actor,
  ): number | null {
    const uploaded = new Set(this.uploadsOf(ticketId).map((u) => u.sha256));
    const bad = materials.findIndex((m) => !uploaded.has(m.sha256.toLowerCase()));
    if (bad >= 0) return bad;
    const now = this.opts.now();
    const ins = this.db.prepare(
      `INSERT INTO case_materials (case_id, sha256, name, attached_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (case_id, sha256) DO UPDATE SET name = excluded.name`,
    );
    for (const m of materials) {
      const sha256 = m.sha256.toLowerCase();
      ins.run(caseId, sha256, m.name, now);
      appendAudit(this.db, {
        at: now,
        actor,
        action: 'material.attach',
        subject: sha256,
        result: 'ok',
        detail: { caseId, ticketId, name: m.name },
      });
    }
    return null;
  }

  /** The materials of a case, in the order they were attached. */
  ofCase(caseId: string): CaseMaterial[] {
    return (
      this.db
        .prepare(
          `SELECT m.sha256, m.bytes, m.content_type, c.name, c.attached_at FROM case_materials c
             JOIN materials m ON m.sha256 = c.sha256 WHERE c.case_id = ? ORDER BY c.attached_at, c.name`,
        )
        .all(caseId) as {
        sha256: string;
        bytes: number;
        content_type: MaterialType;
        name: string;
        attached_at: number;
      }[]
    ).map((r) => ({
      sha256: r.sha256,
      bytes: r.bytes,
      contentType: r.content_type,
      name: r.name,
      attachedAt: r.attached_at,
    }));
  }

  /** The plaintext of a stored material (decrypted in memory), or null when it is not held. */
  read(sha256: string): (MaterialInfo & { bytes: number; data: Buffer; name: string | null }) | null {
    const key = sha256.toLowerCase();
    const row = this.db
      .prepare(
        `SELECT m.sha256, m.bytes, m.content_type, m.file,
           (SELECT name FROM case_materials WHERE sha256 = m.sha256 ORDER BY attached_at LIMIT 1) AS case_name,
           (SELECT name FROM material_uploads WHERE sha256 = m.sha256 ORDER BY uploaded_at LIMIT 1) AS upload_name
         FROM materials m WHERE m.sha256 = ?`,
      )
      .get(key) as
      | {
          sha256: string;
          bytes: number;
          content_type: MaterialType;
          file: string;
          case_name: string | null;
          upload_name: string | null;
        }
      | undefined;
    if (!row) return null;
    const data = this.open(key, readFileSync(join(this.root, row.file)));
    if (sha256Hex(data) !== key) {
      throw new StoreError('MATERIAL_CORRUPT', `材料文件内容与其哈希不符（${key.slice(0, 12)}…），请从备份恢复`);
    }
    return {
      sha256: key,
      bytes: row.bytes,
      contentType: row.content_type,
      data,
      name: row.case_name ?? row.upload_name,
    };
  }

  /** A download of a case's material, audited; null when the case has no such material. */
  download(
    caseId: string,
    sha256: string,
    actor: Actor,
  ): { data: Buffer; contentType: MaterialType; name: string } | null {
    const key = sha256.toLowerCase();
    const att = this.db.prepare('SELECT name FROM case_materials WHERE case_id = ? AND sha256 = ?').get(caseId, key) as
      | { name: string }
      | undefined;
    if (!att) return null;
    const m = this.read(key);
    if (!m) return null;
    this.db.transaction(() =>
      appendAudit(this.db, {
        at: this.opts.now(),
        actor,
        action: 'material.download',
        subject: key,
        result: 'ok',
        detail: { caseId, name: att.name },
      }),
    )();
    return { data: m.data, contentType: m.contentType, name: att.name };
  }

  /**
   * Retention: materials of cases older than `olderThan` whose every version the platform holds
   * (as for the applicant data, `CaseRepository.purgeApplicantData`), and uploads never attached
   * to a case (the ticket was skipped or transferred) older than `uploadsOlderThan`. A file goes
   * when no case and no upload names it any more. Returns the files removed.
   */
  purge(opts: { olderThan: number; uploadsOlderThan: number; now: number }): number {
    const gone = this.db.transaction(() => {
      const detached = this.db
        .prepare(
          `DELETE FROM case_materials WHERE case_id IN (SELECT id FROM cases WHERE created_at < ?
             AND synced_version IS NOT NULL AND synced_version >= version)`,
        )
        .run(opts.olderThan).changes;
      const uploads = this.db
        .prepare('DELETE FROM material_uploads WHERE uploaded_at < ?')
        .run(opts.uploadsOlderThan).changes;
      const rows = this.db
        .prepare(
          `SELECT sha256, file FROM materials m WHERE NOT EXISTS (SELECT 1 FROM case_materials c WHERE c.sha256 = m.sha256)
             AND NOT EXISTS (SELECT 1 FROM material_uploads u WHERE u.sha256 = m.sha256)`,
        )
        .all() as { sha256: string; file: string }[];
      const del = this.db.prepare('DELETE FROM materials WHERE sha256 = ?');
      for (const r of rows) del.run(r.sha256);
      if (rows.length || detached || uploads) {
        appendAudit(this.db, {
          at: opts.now,
          actor: { role: 'system', terminalId: null, staffNo: null },
          action: 'material.purge',
          subject: null,
          result: 'ok',
          detail: { files: rows.length, attachments: detached, uploads },
        });
      }
      return rows;
    })();
    // After the commit: a crash before these unlinks leaves orphans, which the next sweep removes.
    for (const r of gone) rmSync(join(this.root, r.file), { force: true });
    return gone.length;
  }

  /**
   * Removes what a crash can leave behind: temp files, and sealed files no row names (written,
   * then the process died before the row committed, or the row was purged before the unlink).
   * Run at start, before the hub serves. Returns the files removed.
   */
  sweepOrphans(): number {
    let n = 0;
    for (const f of readdirSync(join(this.root, TEMP))) {
      unlinkSync(join(this.root, TEMP, f));
      n++;
    }
    const known = new Set(
      (this.db.prepare('SELECT file FROM materials').all() as { file: string }[]).map((r) => r.file),
    );
    for (const d of readdirSync(this.root, { withFileTypes: true })) {
      if (!d.isDirectory() || d.name === TEMP) continue;
      for (const f of readdirSync(join(this.root, d.name))) {
        if (known.has(`${d.name}/${f}`)) continue;
        unlinkSync(join(this.root, d.name, f));
        n++;
      }
    }
    return n;
  }
}

/** Makes a rename in `dir` durable (a no-op where folders cannot be opened, i.e. Windows). */
function syncDir(dir: string): void {
  let fd: number | null = null;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Windows cannot fsync a directory; NTFS journals the rename itself.
  } finally {
    if (fd !== null) closeSync(fd);
  }
}
