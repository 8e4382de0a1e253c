/**
 * Small real file systems for storage tests (root only: they mount). A size-limited tmpfs is a
 * disk that fills up; a loop-mounted ext4 image with `errors=remount-ro` is a disk the kernel turns
 * read-only under open files, exactly as Debian's default mount option does after a disk error.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

function run(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(
      `${cmd} ${args.join(' ')} 失败：${err.stderr?.trim() || err.message}\n` +
        '存储测试需要 root 权限挂载小文件系统（tmpfs、loop ext4）/ storage tests mount small file systems and need root',
    );
  }
}

export interface SmallDisk {
  /** The mount point. */
  dir: string;
  /** Writes a filler file until the disk says ENOSPC. */
  fill(): void;
  /** Removes the filler: space returns. */
  unfill(): void;
  unmount(): void;
}

function filler(dir: string) {
  const path = join(dir, 'filler.bin');
  return {
    fill() {
      const fd = openSync(path, 'a');
      try {
        for (const size of [1 << 20, 64 << 10, 4 << 10, 512]) {
          const chunk = Buffer.alloc(size, 0x5a);
          try {
            for (;;) writeSync(fd, chunk);
          } catch (e) {
            if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
          }
        }
      } finally {
        closeSync(fd);
      }
    },
    unfill() {
      rmSync(path, { force: true });
    },
  };
}

/** A tmpfs of `sizeKb` KiB. */
export function mountTmpfs(sizeKb: number): SmallDisk {
  const dir = mkdtempSync(join(tmpdir(), 'govhall-tmpfs-'));
  run('mount', ['-t', 'tmpfs', '-o', `size=${sizeKb}k,mode=0700`, 'tmpfs', dir]);
  return {
    dir,
    ...filler(dir),
    unmount: () => {
      run('umount', [dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Ext4Disk extends SmallDisk {
  /** Makes the kernel remount it read-only now, open files and all (ext4 `trigger_fs_error`). */
  failReadOnly(): void;
  /** After unmount: repairs the image and mounts it again at the same place (read-write). */
  remount(): void;
  /** Unmounts if mounted and deletes the image. */
  dispose(): void;
}

/** A loop-mounted ext4 image of `sizeMb` MiB, mounted with errors=remount-ro. */
export function mountExt4(sizeMb: number): Ext4Disk {
  const base = mkdtempSync(join(tmpdir(), 'govhall-ext4-'));
  const image = join(base, 'disk.img');
  const dir = join(base, 'mnt');
  mkdirSync(dir);
  run('truncate', ['-s', `${sizeMb}M`, image]);
  run('mkfs.ext4', ['-q', '-F', '-m', '0', image]);
  let mounted = false;
  const mount = () => {
    run('mount', ['-o', 'loop,errors=remount-ro', image, dir]);
    mounted = true;
  };
  const unmount = () => {
    run('umount', [dir]);
    mounted = false;
  };
  mount();
  return {
    dir,
    ...filler(dir),
    failReadOnly() {
      const dev = basename(run('findmnt', ['-no', 'SOURCE', dir]).trim());
      run('sh', ['-c', `echo govhall-test > /sys/fs/ext4/${dev}/trigger_fs_error`]);
    },
    unmount,
    dispose() {
      if (mounted) unmount();
      rmSync(base, { recursive: true, force: true });
    },
    remount() {
      // e2fsck exits 1 when it fixed something: that is success here.
      try {
        execFileSync('e2fsck', ['-fy', image], { stdio: 'ignore' });
      } catch (e) {
        if ((e as { status?: number }).status !== 1) throw e;
      }
      mount();
    },
  };
}

/** A read-only bind mount of `source` (for a hub started on a read-only data folder). */
export function bindReadOnly(source: string): { dir: string; unmount(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'govhall-ro-'));
  run('mount', ['--bind', source, dir]);
  run('mount', ['-o', 'remount,ro,bind', dir]);
  return {
    dir,
    unmount: () => {
      run('umount', [dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
