/** Sample cards: JSON → text block → parsed fields gives the JSON back, for all four card types. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isValidGb11643 } from '../../common/cert-number.js';
import { CardJsonError, encodeCardText, validateCardJson } from './card-json.js';
import { parseCardText } from './card-text.js';

const sample = (name: string) =>
  validateCardJson(JSON.parse(readFileSync(new URL(`./sample-cards/${name}.json`, import.meta.url), 'utf8')));

describe('card JSON', () => {
  for (const name of ['resident', 'hk-mo-tw', 'foreign-2017', 'foreign-2023']) {
    it(`round-trips the ${name} sample card`, () => {
      const card = sample(name);
      const text = parseCardText(encodeCardText(card));
      expect(text).toMatchObject(card);
      if (card.cardType !== 'foreign_2017') expect(isValidGb11643(card.idNumber)).toBe(true);
    });
  }

  it('keeps a long 2023 English name across its two fields', () => {
    const card = sample('foreign-2023');
    expect([...(card.englishName ?? '')].length).toBeGreaterThan(35);
    expect(parseCardText(encodeCardText(card)).englishName).toBe(card.englishName);
  });

  it('refuses malformed cards with the field named', () => {
    expect(() => validateCardJson({ cardType: 'passport' })).toThrow(CardJsonError);
    expect(() => validateCardJson({ ...sample('resident'), birthDate: '1955/03/15' })).toThrow(/birthDate/);
    expect(() => validateCardJson({ ...sample('resident'), name: undefined })).toThrow(/name/);
  });

  it('checks ID numbers against GB 11643', () => {
    expect(isValidGb11643('330102195503150025')).toBe(true);
    expect(isValidGb11643('330102195503150026')).toBe(false);
    expect(isValidGb11643('11010519491231002x')).toBe(true);
    expect(isValidGb11643('abc')).toBe(false);
  });
});
