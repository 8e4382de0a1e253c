/**
 * The catalogues say the same things: every Chinese message has its English one (and no stray
 * English key), and every key the kiosk and the phone pages ask for exists in Chinese.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { keysOf, languageForCard, languageOfBrowser, languages, setLanguage, t } from './i18n.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const renderer = join(here, '..');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return /\.tsx?$/.test(e.name) && !e.name.endsWith('.test.ts') ? [p] : [];
  });
}

describe('message catalogues', () => {
  it('has Chinese first, then every other file in the folder', () => {
    expect(languages().map((l) => l.code)).toEqual(['zh-CN', 'en']);
  });

  it('English says everything Chinese says (reason texts come from the platform in Chinese)', () => {
    const zh = keysOf('zh-CN');
    const en = keysOf('en').filter((k) => !k.startsWith('reason.'));
    expect(zh.filter((k) => !en.includes(k))).toEqual([]);
    expect(en.filter((k) => !zh.includes(k))).toEqual([]);
  });

  it('has every key the kiosk and the phone pages use', () => {
    const zh = new Set(keysOf('zh-CN'));
    const used = new Set<string>();
    for (const f of [...sources(join(renderer, 'kiosk')), ...sources(join(renderer, 'phone'))]) {
      for (const m of readFileSync(f, 'utf8').matchAll(/\bt\(\s*'([\w.]+)'/g)) used.add(m[1]!);
    }
    expect(used.size).toBeGreaterThan(50);
    expect([...used].filter((k) => !zh.has(k))).toEqual([]);
  });

  it('fills placeholders, falls back to Chinese, gives a 永居证 holder English', () => {
    setLanguage('en');
    expect(t('phone.ticket.goTo', { window: 3 })).toBe('Please go to window 3');
    setLanguage('bo');
    expect(t('phone.ticket.goTo', { window: 3 })).toBe('请到 3 号窗口');
    expect(languageForCard('foreign_2023')).toBe('en');
    expect(languageForCard('foreign_2017')).toBe('en');
    expect(languageForCard('resident')).toBe('zh-CN');
    expect(languageOfBrowser(['en-GB', 'zh-CN'])).toBe('en');
    expect(languageOfBrowser(['zh-TW'])).toBe('zh-CN');
    expect(languageOfBrowser(['fr-FR'])).toBe('zh-CN');
  });
});
