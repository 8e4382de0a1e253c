/**
 * Reading the 256-byte text block of every card type. The blocks are written field by field at
 * their documented offsets (fixtures/card-text-blocks.json), independently of the encoder the
 * simulator uses, so a wrong offset in the parser cannot agree with a wrong offset in the encoder.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildCardText, parseCardText } from './card-text.js';

interface Block {
  card: string;
  fields: [offset: number, length: number, value: string][];
  equals?: Record<string, unknown>;
  matches?: Record<string, unknown>;
}

const { blocks } = JSON.parse(readFileSync(new URL('./fixtures/card-text-blocks.json', import.meta.url), 'utf8')) as {
  blocks: Block[];
};

describe('ID card text block', () => {
  it.each(blocks.map((b) => [b.card, b] as const))('reads %s', (_card, b) => {
    const text = parseCardText(buildCardText(b.fields.map(([offset, length, value]) => ({ offset, length, value }))));
    expect(b.equals ?? b.matches).toBeDefined();
    if (b.equals) expect(text).toEqual(b.equals);
    if (b.matches) expect(text).toMatchObject(b.matches);
  });

  it('refuses a short block', () => {
    expect(() => parseCardText(new Uint8Array(10))).toThrow(/256 字节/);
  });
});
