/**
 * fast-check arbitraries from the JSON schemas of the hub's OpenAPI document: values a schema
 * accepts (with known-good values mixed in by property name, so generated requests reach past
 * "unknown service" into the handlers), a deterministic example, and junk of every JSON shape.
 * Only the schema keywords the hub's zod schemas produce are understood; anything else is "any".
 */
import fc from 'fast-check';

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  pattern?: string;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  default?: unknown;
}

/** Known-good values by property name (`serviceCode` → the hall's codes). */
export type Hints = Record<string, readonly unknown[]>;

/** Generated arrays and strings stay short: the point is shape, not volume (junk covers volume). */
const MAX_ITEMS = 3;
const MAX_CHARS = 24;

function typesOf(s: JsonSchema): string[] {
  if (Array.isArray(s.type)) return s.type;
  return s.type ? [s.type] : [];
}

function stringArb(s: JsonSchema): fc.Arbitrary<string> {
  if (s.pattern) return fc.stringMatching(new RegExp(s.pattern));
  const minLength = s.minLength ?? 0;
  const maxLength = Math.max(minLength, Math.min(s.maxLength ?? MAX_CHARS, MAX_CHARS));
  const words = ['王秀兰', '办结', 'ok'].filter((x) => x.length >= minLength && x.length <= maxLength);
  return fc.oneof(
    fc.string({ minLength, maxLength }),
    fc.string({ minLength, maxLength, unit: 'grapheme' }),
    ...(words.length ? [fc.constantFrom(...words)] : []),
  );
}

function numberArb(s: JsonSchema, integer: boolean): fc.Arbitrary<number> {
  const min = s.minimum ?? (integer ? -1000 : -1e6);
  const max = Math.min(s.maximum ?? (integer ? 1000 : 1e6), min + 10_000);
  return integer ? fc.integer({ min, max }) : fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
}

/** Values `schema` accepts; a property named in `hints` is usually one of its known values. */
export function valueArb(schema: JsonSchema, hints: Hints = {}, key?: string): fc.Arbitrary<unknown> {
  const plain = plainArb(schema, hints);
  const known = key !== undefined ? hints[key] : undefined;
  if (!known?.length) return plain;
  return fc.oneof({ arbitrary: fc.constantFrom(...known), weight: 4 }, { arbitrary: plain, weight: 1 });
}

function plainArb(s: JsonSchema, hints: Hints): fc.Arbitrary<unknown> {
  if ('const' in s) return fc.constant(s.const);
  if (s.enum?.length) return fc.constantFrom(...s.enum);
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives?.length) return fc.oneof(...alternatives.map((a) => valueArb(a, hints)));
  const types = typesOf(s);
  if (types.length > 1) return fc.oneof(...types.map((t) => plainArb({ ...s, type: t }, hints)));
  switch (types[0]) {
    case 'string':
      return stringArb(s);
    case 'integer':
      return numberArb(s, true);
    case 'number':
      return numberArb(s, false);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const minLength = s.minItems ?? 0;
      return fc.array(valueArb(s.items ?? {}, hints), {
        minLength,
        maxLength: Math.max(minLength, Math.min(s.maxItems ?? MAX_ITEMS, MAX_ITEMS)),
      });
    }
    case 'object': {
      const props = s.properties ?? {};
      const model = Object.fromEntries(Object.entries(props).map(([k, p]) => [k, valueArb(p, hints, k)]));
      return fc.record(model, { requiredKeys: (s.required ?? []).filter((k) => k in props) });
    }
    default:
      return junkArb;
  }
}

/** One value `schema` accepts, the same every time: required fields only, known values first. */
export function exampleOf(s: JsonSchema, hints: Hints = {}, key?: string): unknown {
  const known = key !== undefined ? hints[key] : undefined;
  if (known?.length) return known[0];
  if ('const' in s) return s.const;
  if (s.default !== undefined) return s.default;
  if (s.enum?.length) return s.enum[0];
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives?.length) return exampleOf(alternatives[0]!, hints);
  switch (typesOf(s)[0]) {
    case 'string':
      return s.pattern
        ? fc.sample(fc.stringMatching(new RegExp(s.pattern)), { seed: 1, numRuns: 1 })[0]
        : 'a'.repeat(Math.max(1, s.minLength ?? 1));
    case 'integer':
    case 'number':
      return Math.max(s.minimum ?? 1, 1);
    case 'boolean':
      return true;
    case 'null':
      return null;
    case 'array':
      return Array.from({ length: s.minItems ?? 0 }, () => exampleOf(s.items ?? {}, hints));
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const k of s.required ?? []) out[k] = exampleOf(s.properties?.[k] ?? {}, hints, k);
      return out;
    }
    default:
      return {};
  }
}

/** Strings that have broken parsers, templates, queries and terminals before. */
export const NASTY_STRINGS = [
  '',
  ' ',
  '\u0000',
  '\u202e\u0645\u0631\u062d\u0628\u0627',
  '\ufeff',
  '\ud800',
  '\udfff\ud800',
  '😀'.repeat(40),
  'Z̷̢̛̯͓a̸͚̓l̴̜̈g̷̰̿o̵͇͑',
  '../../../../etc/passwd',
  '..\\..\\windows\\win.ini',
  '%E0%A4%A',
  '%00',
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  '"; DROP TABLE tickets; --',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template injection probe, sent as it is.
  '${7*7}{{7*7}}',
  '__proto__',
  'constructor',
  'toString',
  'NaN',
  '-1',
  '1e309',
  '9007199254740993',
  '\r\nX-Injected: 1',
] as const;

/** Any JSON value, with the awkward ones over-represented. */
export const junkArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.constantFrom(-0, -1, 0, 1.5, 1e308, -1e308, 2 ** 53 + 1, 4294967297),
  fc.constantFrom(...NASTY_STRINGS),
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: 'binary' }),
  fc.jsonValue({ maxDepth: 3 }),
  fc.dictionary(fc.constantFrom('__proto__', 'constructor', 'prototype', 'x'), fc.jsonValue({ maxDepth: 1 })),
);
