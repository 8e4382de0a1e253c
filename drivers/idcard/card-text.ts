/**
 * The 256-byte text block of a SAM_V read (UCS-2LE, space padded) for the four card types: resident
 * ID card, `J` HK/Macao/Taiwan residence permit, `I` foreign permanent residence card (2017) and `Y`
 * (2023). Unknown nation or gender codes are kept as codes, never thrown. The photo is not here: it
 * stays in memory behind a decoder interface and is never stored.
 */

export type CardType = 'resident' | 'hk_mo_tw' | 'foreign_2017' | 'foreign_2023';

export interface CardText {
  cardType: CardType;
  name: string;
  gender: string;
  genderCode: string;
  /** Nation name for resident cards (e.g. 汉), or the code when it is not in the table. */
  nation: string | null;
  nationCode: string | null;
  birthDate: string;
  address: string | null;
  idNumber: string;
  authority: string | null;
  validFrom: string;
  /** YYYY-MM-DD or 长期. */
  validTo: string;
  passNumber?: string;
  issueCount?: string;
  englishName?: string;
  nationality?: string;
}

const NATIONS: Record<string, string> = Object.fromEntries(
  '01汉 02蒙古 03回 04藏 05维吾尔 06苗 07彝 08壮 09布依 10朝鲜 11满 12侗 13瑶 14白 15土家 16哈尼 17哈萨克 18傣 19黎 20傈僳 21佤 22畲 23高山 24拉祜 25水 26东乡 27纳西 28景颇 29柯尔克孜 30土 31达斡尔 32仫佬 33羌 34布朗 35撒拉 36毛南 37仡佬 38锡伯 39阿昌 40普米 41塔吉克 42怒 43乌孜别克 44俄罗斯 45鄂温克 46德昂 47保安 48裕固 49京 50塔塔尔 51独龙 52鄂伦春 53赫哲 54门巴 55珞巴 56基诺 97其他 98外国血统中国籍人士'
    .split(' ')
    .map((x) => [x.slice(0, 2), x.slice(2)]),
);
const GENDERS: Record<string, string> = { '0': '未知', '1': '男', '2': '女', '9': '未说明' };

export const nationName = (code: string) => NATIONS[code] ?? code;
export const genderName = (code: string) => GENDERS[code] ?? code;

const decoder = new TextDecoder('utf-16le');

const raw = (text: Uint8Array, offset: number, length: number) =>
  decoder.decode(text.subarray(offset, offset + length));

/** One UCS-2LE field: `offset` and `length` in bytes, trailing spaces and NULs trimmed. */
function field(text: Uint8Array, offset: number, length: number): string {
  return raw(text, offset, length)
    .replace(/[\s\u0000]+$/u, '')
    .trim();
}

const date = (yyyymmdd: string) =>
  /^\d{8}$/.test(yyyymmdd) ? `${yyyymmdd.slice(0, 4)}-${yyyymmdd.slice(4, 6)}-${yyyymmdd.slice(6, 8)}` : yyyymmdd;

export function cardTypeOf(text: Uint8Array): CardType {
  const mark = field(text, 248, 2);
  if (mark === 'J') return 'hk_mo_tw';
  if (mark === 'I') return 'foreign_2017';
  if (mark === 'Y') return 'foreign_2023';
  return 'resident';
}

export function parseCardText(text: Uint8Array): CardText {
  if (text.length < 256) throw new RangeError(`身份证文字信息应为 256 字节，收到 ${text.length} 字节`);
  const type = cardTypeOf(text);
  if (type === 'foreign_2017') {
    const genderCode = field(text, 120, 2);
    return {
      cardType: type,
      englishName: field(text, 0, 120),
      name: field(text, 158, 30),
      gender: genderName(genderCode),
      genderCode,
      nation: null,
      nationCode: null,
      idNumber: field(text, 122, 30),
      nationality: field(text, 152, 6),
      birthDate: date(field(text, 220, 16)),
      address: null,
      authority: field(text, 240, 8) || null,
      validFrom: date(field(text, 188, 16)),
      validTo: date(field(text, 204, 16)),
    };
  }
  const genderCode = field(text, 30, 2);
  const common = {
    cardType: type,
    name: field(text, 0, 30),
    gender: genderName(genderCode),
    genderCode,
    birthDate: date(field(text, 36, 16)),
    idNumber: field(text, 122, 36).toUpperCase(),
    validFrom: date(field(text, 188, 16)),
    validTo: date(field(text, 204, 16)),
  };
  if (type === 'foreign_2023') {
    return {
      ...common,
      nation: null,
      nationCode: null,
      issueCount: field(text, 32, 4),
      // Characters 1–35 and 36–46 of one name: join the raw fields, then trim, so a space at the
      // split is kept.
      englishName: (raw(text, 52, 70) + raw(text, 220, 22)).replace(/[\s\u0000]+$/u, '').trim(),
      nationality: field(text, 242, 6),
      address: null,
      authority: null,
    };
  }
  const nationCode = type === 'resident' ? field(text, 32, 4) : null;
  const out: CardText = {
    ...common,
    nation: nationCode ? nationName(nationCode) : null,
    nationCode,
    address: field(text, 52, 70),
    authority: field(text, 158, 30),
  };
  if (type === 'hk_mo_tw') {
    out.passNumber = field(text, 220, 18);
    out.issueCount = field(text, 238, 4);
  }
  return out;
}

/** Builds a text block (for simulators and tests): fields are written as UCS-2LE, space padded. */
export function buildCardText(fields: { offset: number; length: number; value: string }[]): Uint8Array {
  const out = new Uint8Array(256);
  for (let i = 0; i < 256; i += 2) out[i] = 0x20;
  for (const f of fields) {
    const chars = [...f.value];
    for (let i = 0; i < f.length / 2; i++) {
      const code = i < chars.length ? chars[i]!.charCodeAt(0) : 0x20;
      out[f.offset + i * 2] = code & 0xff;
      out[f.offset + i * 2 + 1] = code >> 8;
    }
  }
  return out;
}
