/**
 * Golden byte files for tests: hex, one command per line (a new line before each ESC/GS/FS/DLE
 * and after each LF), `#` comments allowed, so a reviewer can read a ticket's bytes in a diff.
 */
export function toGoldenHex(bytes: Uint8Array, title = ''): string {
  const lines: string[] = title ? [`# ${title}`] : [];
  let cur: string[] = [];
  const flush = () => {
    if (cur.length) lines.push(cur.join(' '));
    cur = [];
  };
  for (const b of bytes) {
    if (b === 0x1b || b === 0x1d || b === 0x1c || b === 0x10) flush();
    cur.push(b.toString(16).padStart(2, '0'));
    if (b === 0x0a || cur.length >= 32) flush();
  }
  flush();
  return `${lines.join('\n')}\n`;
}

export function fromGoldenHex(text: string): Uint8Array {
  const hex = text
    .split('\n')
    .filter((l) => !l.trimStart().startsWith('#'))
    .join(' ')
    .replace(/\s+/g, '');
  if (!/^([0-9a-fA-F]{2})*$/.test(hex)) throw new Error('golden 文件不是合法的十六进制');
  return Uint8Array.from(hex.match(/../g) ?? [], (h) => Number.parseInt(h, 16));
}
