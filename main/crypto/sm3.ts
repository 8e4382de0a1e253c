/**
 * SM3 (GB/T 32905-2016) and HMAC-SM3 in plain TypeScript. Node's OpenSSL has SM3 but Electron's
 * BoringSSL does not, and provincial platforms sign with it, so the hall carries its own; tests
 * check it against OpenSSL byte for byte.
 */

const IV = [0x7380166f, 0x4914b2b9, 0x172442d7, 0xda8a0600, 0xa96f30bc, 0x163138aa, 0xe38dee4d, 0xb0fb0e4e];
const rotl = (x: number, n: number) => ((x << (n & 31)) | (x >>> (32 - (n & 31)))) >>> 0;
const P0 = (x: number) => (x ^ rotl(x, 9) ^ rotl(x, 17)) >>> 0;
const P1 = (x: number) => (x ^ rotl(x, 15) ^ rotl(x, 23)) >>> 0;
// T_j rotated by j, precomputed once.
const TJ = Array.from({ length: 64 }, (_, j) => rotl(j < 16 ? 0x79cc4519 : 0x7a879d8a, j % 32));

const W = new Uint32Array(68);
const W1 = new Uint32Array(64);

function compress(v: Uint32Array, block: Uint8Array, off: number): void {
  for (let i = 0; i < 16; i++) {
    const p = off + i * 4;
    W[i] = ((block[p]! << 24) | (block[p + 1]! << 16) | (block[p + 2]! << 8) | block[p + 3]!) >>> 0;
  }
  for (let j = 16; j < 68; j++) {
    W[j] = (P1(W[j - 16]! ^ W[j - 9]! ^ rotl(W[j - 3]!, 15)) ^ rotl(W[j - 13]!, 7) ^ W[j - 6]!) >>> 0;
  }
  for (let j = 0; j < 64; j++) W1[j] = (W[j]! ^ W[j + 4]!) >>> 0;
  let a = v[0]!;
  let b = v[1]!;
  let c = v[2]!;
  let d = v[3]!;
  let e = v[4]!;
  let f = v[5]!;
  let g = v[6]!;
  let h = v[7]!;
  for (let j = 0; j < 64; j++) {
    const a12 = rotl(a, 12);
    const ss1 = rotl((a12 + e + TJ[j]!) >>> 0, 7);
    const ss2 = (ss1 ^ a12) >>> 0;
    const ff = j < 16 ? a ^ b ^ c : (a & b) | (a & c) | (b & c);
    const gg = j < 16 ? e ^ f ^ g : (e & f) | (~e & g);
    const tt1 = (ff + d + ss2 + W1[j]!) >>> 0;
    const tt2 = (gg + h + ss1 + W[j]!) >>> 0;
    d = c;
    c = rotl(b, 9);
    b = a;
    a = tt1;
    h = g;
    g = rotl(f, 19);
    f = e;
    e = P0(tt2);
  }
  v[0] = (v[0]! ^ a) >>> 0;
  v[1] = (v[1]! ^ b) >>> 0;
  v[2] = (v[2]! ^ c) >>> 0;
  v[3] = (v[3]! ^ d) >>> 0;
  v[4] = (v[4]! ^ e) >>> 0;
  v[5] = (v[5]! ^ f) >>> 0;
  v[6] = (v[6]! ^ g) >>> 0;
  v[7] = (v[7]! ^ h) >>> 0;
}

const toBytes = (data: Uint8Array | string) => (typeof data === 'string' ? new TextEncoder().encode(data) : data);

/** SM3 digest (32 bytes) of bytes or a UTF-8 string. */
export function sm3(data: Uint8Array | string): Uint8Array {
  const msg = toBytes(data);
  const v = new Uint32Array(IV);
  const full = msg.length - (msg.length % 64);
  for (let off = 0; off < full; off += 64) compress(v, msg, off);
  // Padding: 0x80, zeros, then the bit length as a 64-bit big-endian integer.
  const rest = msg.length - full;
  const tail = new Uint8Array(rest < 56 ? 64 : 128);
  tail.set(msg.subarray(full));
  tail[rest] = 0x80;
  const bits = msg.length * 8;
  const dv = new DataView(tail.buffer);
  dv.setUint32(tail.length - 8, Math.floor(bits / 0x100000000));
  dv.setUint32(tail.length - 4, bits >>> 0);
  for (let off = 0; off < tail.length; off += 64) compress(v, tail, off);
  const out = new Uint8Array(32);
  const ov = new DataView(out.buffer);
  for (let i = 0; i < 8; i++) ov.setUint32(i * 4, v[i]!);
  return out;
}

/** HMAC (RFC 2104) over SM3, block size 64. */
export function hmacSm3(key: Uint8Array | string, data: Uint8Array | string): Uint8Array {
  let k = toBytes(key);
  if (k.length > 64) k = sm3(k);
  const ipad = new Uint8Array(64);
  const opad = new Uint8Array(64);
  for (let i = 0; i < 64; i++) {
    ipad[i] = (k[i] ?? 0) ^ 0x36;
    opad[i] = (k[i] ?? 0) ^ 0x5c;
  }
  const msg = toBytes(data);
  const inner = new Uint8Array(64 + msg.length);
  inner.set(ipad);
  inner.set(msg, 64);
  const innerHash = sm3(inner);
  const outer = new Uint8Array(96);
  outer.set(opad);
  outer.set(innerHash, 64);
  return sm3(outer);
}

export const toHex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
