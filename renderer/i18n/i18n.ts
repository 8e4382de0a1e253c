/**
 * Message catalogues of the kiosk and the phone pages: one JSON file per language in this folder
 * (`zh-CN.json`, `en.json`, …), found at build time, so a language is added by adding a file — and,
 * for a script the system fonts lack (藏文, 彝文), its font in `fonts/` named by the catalogue's
 * `_meta.font` (docs/i18n.md). Chinese is the reference: a key missing from another catalogue
 * shows in Chinese, never as the key.
 */

export interface CatalogueMeta {
  /** The language's own name, as the switcher shows it (English, བོད་ཡིག, ꆈꌠꉙ). */
  name: string;
  /** A font file in renderer/i18n/fonts/ (woff2), loaded only when the language is chosen. */
  font?: string;
  /** The CSS font-family the font is registered as. */
  fontFamily?: string;
}

type Catalogue = Record<string, string> & { _meta?: never };
type CatalogueFile = { _meta: CatalogueMeta } & Record<string, string | CatalogueMeta>;

const files = import.meta.glob<CatalogueFile>('./*.json', { eager: true, import: 'default' });
const fonts = import.meta.glob<string>('./fonts/*', { eager: true, query: '?url', import: 'default' });

export const REFERENCE = 'zh-CN';

const catalogues = new Map<string, { meta: CatalogueMeta; messages: Catalogue }>();
for (const [path, file] of Object.entries(files)) {
  const lang = /\.\/(.+)\.json$/.exec(path)?.[1];
  if (!lang) continue;
  const { _meta, ...messages } = file;
  catalogues.set(lang, { meta: _meta, messages: messages as Catalogue });
}

/** Languages with a catalogue, Chinese first. */
export function languages(): { code: string; name: string }[] {
  return [...catalogues.entries()]
    .sort(([a], [b]) => (a === REFERENCE ? -1 : b === REFERENCE ? 1 : a.localeCompare(b)))
    .map(([code, c]) => ({ code, name: c.meta.name }));
}

let current = REFERENCE;
const listeners = new Set<(lang: string) => void>();

export const language = (): string => current;

/** Switches every `t()` to `lang` (unknown → Chinese), loads its font, tells the listeners. */
export function setLanguage(lang: string): void {
  const next = catalogues.has(lang) ? lang : REFERENCE;
  if (next === current) return;
  current = next;
  loadFont(next);
  if (typeof document !== 'undefined') {
    document.documentElement.lang = next;
    // Pages put `var(--lang-font)` first in their font-family: the language's own font, if any.
    const family = catalogues.get(next)?.meta.fontFamily;
    if (family) document.documentElement.style.setProperty('--lang-font', `"${family}"`);
    else document.documentElement.style.removeProperty('--lang-font');
  }
  for (const l of [...listeners]) l(next);
}

export function onLanguage(listener: (lang: string) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * The message `key` in the current language with `{name}` placeholders filled; Chinese when the
 * language lacks it; the key itself only when even Chinese lacks it (a test catches that).
 */
export function t(key: string, vars: Record<string, string | number> = {}): string {
  const text = catalogues.get(current)?.messages[key] ?? catalogues.get(REFERENCE)?.messages[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));
}

/** Keys of a catalogue (for the completeness test). */
export function keysOf(lang: string): string[] {
  return Object.keys(catalogues.get(lang)?.messages ?? {});
}

/**
 * The language a card holder gets without asking: a 外国人永久居留身份证 (either edition) is read
 * in English; everyone else in Chinese. They can switch either way.
 */
export function languageForCard(certType: string | null | undefined): string {
  return certType === 'foreign_2017' || certType === 'foreign_2023' || certType === '553' ? 'en' : REFERENCE;
}

/** The first of the browser's languages that has a catalogue (a phone set to English gets English). */
export function languageOfBrowser(preferred: readonly string[]): string {
  for (const p of preferred) {
    if (catalogues.has(p)) return p;
    const base = p.split('-')[0]!;
    if (base === 'zh') return REFERENCE;
    const match = [...catalogues.keys()].find((k) => k.split('-')[0] === base);
    if (match) return match;
  }
  return REFERENCE;
}

const loaded = new Set<string>();

/** Registers the language's font (if it names one) so text in its script renders on any device. */
function loadFont(lang: string): void {
  const meta = catalogues.get(lang)?.meta;
  if (!meta?.font || !meta.fontFamily || loaded.has(lang) || typeof document === 'undefined') return;
  const url = fonts[`./fonts/${meta.font}`];
  if (!url) return;
  loaded.add(lang);
  const face = new FontFace(meta.fontFamily, `url(${url})`);
  void face.load().then(
    (f) => document.fonts.add(f),
    () => loaded.delete(lang),
  );
}

/** The CSS font-family to put first for the current language (its own font), or null. */
export function fontFamily(): string | null {
  return catalogues.get(current)?.meta.fontFamily ?? null;
}
