import { describe, expect, it } from 'vitest';
import { BOM, csvCell, csvText } from './csv.js';

describe('csv', () => {
  it('quotes, neutralises formulas and starts with a BOM', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('=SUM(A1)')).toBe("'=SUM(A1)");
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell(null)).toBe('');
    const t = csvText([
      ['业务', '取号'],
      ['社保医保', 3],
    ]);
    expect(t.startsWith(BOM)).toBe(true);
    expect(t.slice(1)).toBe('业务,取号\r\n社保医保,3\r\n');
  });
});
