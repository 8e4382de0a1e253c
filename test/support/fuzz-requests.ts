/**
 * Mutated requests for the API fuzz test, as fast-check arbitraries: bodies (valid, then wrong
 * types, missing and extra fields, huge and odd strings, deep nesting, non-objects, invalid JSON,
 * wrong content types), query strings, path parameters and Authorization headers. Each case
 * carries a short label so a failure says what kind of input caused it.
 */
import fc from 'fast-check';
import { type Hints, type JsonSchema, junkArb, NASTY_STRINGS, valueArb } from './schema-arbitrary.js';

export interface BodyCase {
  label: string;
  contentType: string | null;
  /** undefined: no body at all. */
  payload: string | Buffer | undefined;
}

type Path = (string | number)[];
const PLACEHOLDER = '\u0001FUZZ\u0001';

/** Every place in a value a mutation can aim at: the value itself and each nested field or item. */
function pathsOf(v: unknown, at: Path = []): Path[] {
  const out: Path[] = [at];
  if (Array.isArray(v)) for (const [i, x] of v.entries()) out.push(...pathsOf(x, [...at, i]));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) out.push(...pathsOf(x, [...at, k]));
  return out;
}

function setAt(v: unknown, path: Path, value: unknown): unknown {
  if (!path.length) return value;
  const copy: any = Array.isArray(v) ? [...v] : { ...(v as object) };
  const [head, ...rest] = path;
  copy[head as string] = setAt(copy[head as string], rest, value);
  return copy;
}

function deleteAt(v: unknown, path: Path): unknown {
  if (path.length === 1 && v && typeof v === 'object') {
    const copy: any = Array.isArray(v) ? [...v] : { ...(v as object) };
    if (Array.isArray(copy)) copy.splice(Number(path[0]), 1);
    else delete copy[path[0] as string];
    return copy;
  }
  if (path.length <= 1) return undefined;
  const [head, ...rest] = path;
  return setAt(v, [head!], deleteAt((v as any)[head as string], rest));
}

const json = (label: string, v: unknown, contentType = 'application/json'): BodyCase => ({
  label,
  contentType,
  payload: v === undefined ? undefined : JSON.stringify(v),
});

/** `value` with the thing at the `pick`th path replaced by raw JSON text (deep nesting, huge strings). */
function splice(label: string, value: unknown, pick: number, raw: string): BodyCase {
  const paths = pathsOf(value);
  const at = paths[pick % paths.length]!;
  const text = JSON.stringify(setAt(value, at, PLACEHOLDER)).replace(JSON.stringify(PLACEHOLDER), raw);
  return { label, contentType: 'application/json', payload: text };
}

const deep = (depth: number, open: string, close: string) => open.repeat(depth) + close.repeat(depth);

const INVALID_JSON = [
  '{',
  '{"a":}',
  "{'serviceCode':'SBYB'}",
  '{"a":1}garbage',
  '{"a":1,}',
  'NaN',
  'undefined',
  '\u0000',
  '\ufeff{}',
  '[',
  '"unterminated',
  '{"a":"\\x41"}',
  '{"a":"\\ud800"}',
  '1'.repeat(400),
];

/** Bodies for a route whose body schema is `schema` (undefined: the route takes no body). */
export function bodyCaseArb(schema: JsonSchema | undefined, hints: Hints): fc.Arbitrary<BodyCase> {
  const valid: fc.Arbitrary<unknown> = schema ? valueArb(schema, hints) : fc.constant(undefined);
  const base = valid.map((v) => v ?? {});
  const targeted = <T>(extra: fc.Arbitrary<T>) => fc.tuple(base, fc.nat(), extra);
  const keys = Object.keys(schema?.properties ?? {});
  return fc.oneof(
    { arbitrary: valid.map((v) => json('valid', v)), weight: 3 },
    {
      arbitrary: fc.tuple(base, fc.nat()).map(([v, pick]) => {
        const paths = pathsOf(v).filter((p) => p.length > 0);
        return json('missing field', paths.length ? deleteAt(v, paths[pick % paths.length]!) : undefined);
      }),
      weight: 2,
    },
    {
      arbitrary: targeted(junkArb).map(([v, pick, junk]) => {
        const paths = pathsOf(v).filter((p) => p.length > 0);
        const at = paths.length ? paths[pick % paths.length]! : keys.length ? [keys[pick % keys.length]!] : ['x'];
        return json('wrong type', setAt(v, at, junk));
      }),
      weight: 3,
    },
    {
      arbitrary: targeted(fc.tuple(fc.oneof(fc.string(), fc.constantFrom(...NASTY_STRINGS)), junkArb)).map(
        ([v, _, [k, junk]]) => json('extra field', { ...(v as object), [k || 'extra']: junk }),
      ),
      weight: 2,
    },
    {
      // Units are JSON text: the six characters `\u0000` are one NUL once parsed.
      arbitrary: targeted(
        fc.tuple(fc.constantFrom(1_000, 20_000, 70_000), fc.constantFrom('a', '中', '😀', '\\u0000')),
      ).map(([v, pick, [n, unit]]) => splice(`huge string ×${n}`, v, pick, `"${unit.repeat(n)}"`)),
      weight: 1,
    },
    {
      arbitrary: targeted(fc.oneof(fc.constantFrom(...NASTY_STRINGS), fc.string({ unit: 'binary', minLength: 1 }))).map(
        ([v, pick, s]) => {
          const paths = pathsOf(v);
          return json('unicode', setAt(v, paths[pick % paths.length]!, s));
        },
      ),
      weight: 2,
    },
    {
      arbitrary: targeted(fc.tuple(fc.constantFrom(50, 1_000, 10_000), fc.boolean())).map(([v, pick, [d, arr]]) =>
        splice(`nested ×${d}`, v, pick, arr ? deep(d, '[', ']') : `${'{"a":'.repeat(d)}1${'}'.repeat(d)}`),
      ),
      weight: 1,
    },
    {
      arbitrary: junkArb
        .filter((j) => !(j && typeof j === 'object' && !Array.isArray(j)))
        .map((j) => json('not an object', j)),
      weight: 1,
    },
    {
      arbitrary: fc
        .oneof(
          fc.constantFrom(...INVALID_JSON),
          fc.uint8Array({ minLength: 1, maxLength: 64 }).map((b) => Buffer.from(b)),
        )
        .map((payload) => ({ label: 'invalid JSON', contentType: 'application/json', payload })),
      weight: 2,
    },
    {
      arbitrary: fc
        .tuple(
          valid,
          fc.constantFrom(
            'text/plain',
            'application/x-www-form-urlencoded',
            'multipart/form-data; boundary=x',
            'application/json; charset=latin1',
            'application/xml',
            '',
          ),
        )
        .map(([v, type]) =>
          type === 'application/x-www-form-urlencoded'
            ? { label: 'form body', contentType: type, payload: 'serviceCode=SBYB&channel=kiosk' }
            : json(`content-type ${type || '(empty)'}`, v ?? {}, type),
        ),
      weight: 1,
    },
    {
      arbitrary: base.map((v) => ({
        label: 'prototype keys',
        contentType: 'application/json',
        payload: `{"__proto__":{"role":"admin","isAdmin":true},"constructor":{"prototype":{"x":1}},${JSON.stringify(v).slice(1)}`,
      })),
      weight: 1,
    },
  );
}

export interface QueryParam {
  name: string;
  schema: JsonSchema;
}

const enc = (s: string) => {
  try {
    return encodeURIComponent(s);
  } catch {
    return '%E0%A4%A'; // A lone surrogate has no UTF-8: send malformed escapes instead.
  }
};

/** Query strings (leading `?`, or '' for none) for a route's query parameters. */
export function queryCaseArb(
  params: readonly QueryParam[],
  hints: Hints,
): fc.Arbitrary<{ label: string; query: string }> {
  const validPairs = fc.tuple(
    ...params.map((p) => fc.option(valueArb(p.schema, hints, p.name).map((v) => [p.name, String(v)] as const))),
  );
  const toQuery = (pairs: readonly (readonly [string, string])[]) =>
    pairs.length ? `?${pairs.map(([k, v]) => `${enc(k)}=${enc(v)}`).join('&')}` : '';
  const names = params.length ? params.map((p) => p.name) : ['x'];
  return fc.oneof(
    validPairs.map((ps) => ({ label: 'valid query', query: toQuery(ps.filter((p) => p !== null)) })),
    fc
      .tuple(fc.constantFrom(...names), fc.oneof(fc.constantFrom(...NASTY_STRINGS), fc.string({ unit: 'grapheme' })))
      .map(([k, v]) => ({ label: 'odd query value', query: toQuery([[k, v]]) })),
    fc
      .tuple(fc.constantFrom(...names), fc.constantFrom('%', '%E0%A4%A', '%ZZ', '%00', '%C0%80', '%ED%A0%80', '+%2B+'))
      .map(([k, raw]) => ({ label: 'malformed query escapes', query: `?${k}=${raw}&${raw}=1` })),
    fc.constantFrom(...names).map((k) => ({ label: 'repeated query', query: `?${k}=1&${k}=2&${k}[]=3&${k}[a]=4` })),
    fc.constantFrom(...names).map((k) => ({ label: 'huge query', query: `?${k}=${'9'.repeat(6000)}` })),
    fc.constant({ label: 'prototype query', query: '?__proto__=1&constructor=2&toString=3&hasOwnProperty=4' }),
  );
}

/** Replacements for a path parameter, beyond the known ids. */
export const PATH_VALUES = [
  '%E0%A4%A',
  '%',
  '%ZZ',
  '%00',
  '%C0%AF',
  '%ED%A0%80',
  '..',
  '%2e%2e',
  '..%2F..%2Fadmin%2Ftokens',
  '%2F',
  'a'.repeat(4000),
  '0',
  '-1',
  '1.5',
  '1e3',
  '01',
  '+1',
  '%201',
  'NaN',
  'Infinity',
  '99999999999999999999999',
  '__proto__',
  'constructor',
  '00000000-0000-0000-0000-000000000000',
  '%E4%B8%AD%E6%96%87',
  'null',
] as const;

/** Ways to get Authorization wrong around a working token. */
export function authorizationCases(token: string): { label: string; headers: Record<string, string | string[]> }[] {
  return [
    { label: 'no scheme', headers: { authorization: token } },
    { label: 'scheme only', headers: { authorization: 'Bearer' } },
    { label: 'empty bearer', headers: { authorization: 'Bearer ' } },
    { label: 'lower-case scheme', headers: { authorization: `bearer ${token}` } },
    { label: 'basic', headers: { authorization: `Basic ${Buffer.from(`admin:${token}`).toString('base64')}` } },
    { label: 'token plus junk', headers: { authorization: `Bearer ${token} x` } },
    { label: 'tab separator', headers: { authorization: `Bearer\t${token}` } },
    { label: 'truncated token', headers: { authorization: `Bearer ${token.slice(0, -1)}` } },
    { label: 'forged staff session', headers: { authorization: 'Bearer ghs_00000000000000000000000000000000' } },
    { label: 'bare session prefix', headers: { authorization: 'Bearer ghs_' } },
    { label: 'long token', headers: { authorization: `Bearer ${'A'.repeat(8000)}` } },
    { label: 'escaped token', headers: { authorization: `Bearer %E0%A4%A${token}` } },
    { label: 'two headers', headers: { authorization: ['Bearer nope', `Bearer ${token}`] } },
    { label: 'query token only', headers: {} },
  ];
}
