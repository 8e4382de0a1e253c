/**
 * Cards as JSON — the same fields `govhall idcard read --json --full` prints — turned back into the
 * 256-byte text block, so the simulator can serve any card from a file. Validation answers in
 * Chinese with the field at fault; it never throws anything but `CardJsonError`.
 */
import { buildCardText, type CardText, type CardType, genderName, nationName } from './card-text.js';

/**
 * A card as JSON: the text block's fields without the raw codes (gender and nation may be given as
 * name or code); nation, address and authority may be left out where the card type has none.
 */
export type CardJson = Omit<CardText, 'genderCode' | 'nationCode' | 'nation' | 'address' | 'authority'> & {
  /** Nation name (汉) or code (01); resident cards only. */
  nation?: string | null;
  address?: string | null;
  authority?: string | null;
};

export class CardJsonError extends Error {
  readonly code = 'CARD_JSON_INVALID';
  constructor(message: string) {
    super(message);
    this.name = 'CardJsonError';
  }
}

const CARD_TYPES: readonly CardType[] = ['resident', 'hk_mo_tw', 'foreign_2017', 'foreign_2023'];

function genderCode(g: string): string {
  for (const c of ['0', '1', '2', '9']) if (genderName(c) === g) return c;
  return g;
}

function nationCode(n: string | null | undefined): string {
  if (!n) return '';
  if (/^\d{1,2}$/.test(n)) return n.padStart(2, '0');
  for (let i = 1; i <= 98; i++) {
    const c = String(i).padStart(2, '0');
    if (nationName(c) === n) return c;
  }
  return n;
}

/** YYYY-MM-DD → YYYYMMDD; 长期 and anything else kept as written. */
const compact = (d: string) => (/^\d{4}-\d{2}-\d{2}$/.test(d) ? d.replaceAll('-', '') : d);

/** Checks the shape of a parsed JSON value; returns it typed or throws `CardJsonError`. */
export function validateCardJson(value: unknown): CardJson {
  if (!value || typeof value !== 'object') throw new CardJsonError('卡片 JSON 应为一个对象');
  const v = value as Record<string, unknown>;
  if (!CARD_TYPES.includes(v.cardType as CardType)) {
    throw new CardJsonError(`cardType 应为 ${CARD_TYPES.join(' / ')} 之一，收到「${String(v.cardType)}」`);
  }
  for (const f of ['name', 'gender', 'birthDate', 'idNumber', 'validFrom', 'validTo'] as const) {
    if (typeof v[f] !== 'string' || v[f] === '') throw new CardJsonError(`缺少字段 ${f}（应为字符串）`);
  }
  for (const f of ['nation', 'address', 'authority', 'passNumber', 'issueCount', 'englishName', 'nationality']) {
    if (v[f] !== undefined && v[f] !== null && typeof v[f] !== 'string') {
      throw new CardJsonError(`字段 ${f} 应为字符串`);
    }
  }
  for (const f of ['birthDate', 'validFrom'] as const) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(v[f] as string)) throw new CardJsonError(`${f} 应为 YYYY-MM-DD`);
  }
  if (!/^(\d{4}-\d{2}-\d{2}|长期)$/.test(v.validTo as string)) {
    throw new CardJsonError('validTo 应为 YYYY-MM-DD 或「长期」');
  }
  return v as unknown as CardJson;
}

/** The 256-byte text block of a card, laid out per card type (docs/devices.md §1). */
export function encodeCardText(card: CardJson): Uint8Array {
  const f = (offset: number, length: number, value: string | null | undefined) => ({
    offset,
    length,
    value: value ?? '',
  });
  const g = genderCode(card.gender);
  const common = [f(188, 16, compact(card.validFrom)), f(204, 16, compact(card.validTo))];
  switch (card.cardType) {
    case 'foreign_2017':
      return buildCardText([
        f(0, 120, card.englishName),
        f(120, 2, g),
        f(122, 30, card.idNumber),
        f(152, 6, card.nationality),
        f(158, 30, card.name),
        ...common,
        f(220, 16, compact(card.birthDate)),
        f(236, 4, '00'),
        f(240, 8, card.authority),
        f(248, 2, 'I'),
      ]);
    case 'foreign_2023': {
      const en = [...(card.englishName ?? '')];
      return buildCardText([
        f(0, 30, card.name),
        f(30, 2, g),
        f(32, 4, card.issueCount ?? '00'),
        f(36, 16, compact(card.birthDate)),
        f(52, 70, en.slice(0, 35).join('')),
        f(122, 36, card.idNumber),
        ...common,
        f(220, 22, en.slice(35, 46).join('')),
        f(242, 6, card.nationality),
        f(248, 2, 'Y'),
      ]);
    }
    default: {
      const base = [
        f(0, 30, card.name),
        f(30, 2, g),
        f(32, 4, card.cardType === 'resident' ? nationCode(card.nation) : ''),
        f(36, 16, compact(card.birthDate)),
        f(52, 70, card.address),
        f(122, 36, card.idNumber),
        f(158, 30, card.authority),
        ...common,
      ];
      if (card.cardType === 'hk_mo_tw') {
        base.push(f(220, 18, card.passNumber), f(238, 4, card.issueCount ?? '00'), f(248, 2, 'J'));
      }
      return buildCardText(base);
    }
  }
}
