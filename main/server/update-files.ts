/**
 * What `GET /updates/{file}` may serve and how much of it: the rules as plain functions (no I/O),
 * so the route cannot be talked into another folder or another kind of file, and its Range
 * answers are checked without a socket.
 */

/** The release files electron-builder writes, by extension, with the type each is served as. */
const TYPES: ReadonlyArray<readonly [string, string]> = [
  ['.yml', 'text/yaml; charset=utf-8'],
  ['.exe', 'application/vnd.microsoft.portable-executable'],
  ['.AppImage', 'application/vnd.appimage'],
  ['.deb', 'application/vnd.debian.binary-package'],
  ['.blockmap', 'application/octet-stream'],
  ['.zip', 'application/zip'],
];

/**
 * A plain file name of a release file: letters, digits, `.`, `-`, `_` (electron-builder's names:
 * `govhall-0.2.0-win-x64.exe`, `govhall_0.2.0_arm64.deb`, `latest-linux-arm64.yml`), not starting
 * with a dot, with one of the allowed extensions. Anything else — a path, `..`, a dot file, a
 * percent-escape — is not a release file.
 */
export function releaseFileType(name: string): string | null {
  if (name.length === 0 || name.length > 200) return null;
  if (!/^[A-Za-z0-9_-][A-Za-z0-9._-]*$/.test(name) || name.includes('..')) return null;
  for (const [ext, type] of TYPES) if (name.endsWith(ext) && name.length > ext.length) return type;
  return null;
}

export const RELEASE_EXTENSIONS = TYPES.map(([ext]) => ext);

/** The part of a file a request asks for: all of it, one byte range, or a range it cannot have. */
export type RangeAnswer = { kind: 'whole' } | { kind: 'part'; start: number; end: number } | { kind: 'unsatisfiable' };

/**
 * Reads a `Range` header against a file of `size` bytes (RFC 9110 §14). One range is served as
 * `206`; a header that is not a byte range, or asks for several (the updater is told to ask for
 * one at a time), is ignored and the whole file served, as the RFC allows; a range wholly past the
 * end is `416`.
 */
export function readRange(header: string | undefined, size: number): RangeAnswer {
  if (header === undefined) return { kind: 'whole' };
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m) return { kind: 'whole' };
  const [, from, to] = m as unknown as [string, string, string];
  if (from === '' && to === '') return { kind: 'whole' };
  if (from === '') {
    // The last N bytes.
    const n = Number(to);
    if (n === 0) return { kind: 'unsatisfiable' };
    return size === 0 ? { kind: 'unsatisfiable' } : { kind: 'part', start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(from);
  if (start >= size) return { kind: 'unsatisfiable' };
  const end = to === '' ? size - 1 : Math.min(Number(to), size - 1);
  if (end < start) return { kind: 'whole' };
  return { kind: 'part', start, end };
}
