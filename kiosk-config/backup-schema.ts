/**
 * The `backup:` section of a hall config: where the hub puts its daily online backup, how many it
 * keeps, at what time, and whether the data key is copied beside each one (docs/store.md).
 * Optional: without it there are no scheduled backups (`govhall backup` still works by hand).
 */
import { z } from 'zod';

export interface BackupConfig {
  /** Folder of the backups; relative paths are read from the config file's folder. */
  dir: string;
  /** Backups kept (the oldest beyond this are deleted after a verified new one). */
  keep: number;
  /** Local time of day, "HH:MM" in the hall's time zone. */
  time: string;
  /**
   * Copy `keys/data.key` beside each backup (`….data.key`, mode 0600). Off by default: a database
   * and its key together on one medium undo the encryption of ID numbers; turn it on only when
   * the backup folder is itself protected (an encrypted, access-controlled disk).
   */
  copyKey: boolean;
}

export const backupSchema = z
  .object({
    dir: z.string({ error: '备份目录应为文字（路径）' }).min(1, '备份目录不能为空'),
    keep: z
      .number({ error: '保留份数应为数字' })
      .int('保留份数应为整数')
      .min(1, '保留份数至少为 1')
      .max(3650, '保留份数最多为 3650')
      .default(14),
    time: z
      .string({ error: '备份时间应为文字，格式 HH:MM' })
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, '备份时间格式应为 HH:MM（00:00 至 23:59）')
      .default('02:30'),
    copyKey: z.boolean({ error: 'copyKey 应为 true 或 false' }).default(false),
  })
  .strict();
