/**
 * The kiosk in English: a 外国人永久居留身份证 on the simulated reader turns the kiosk to English at
 * once, the ticket is taken in English, the next person starts in Chinese again, and anyone can
 * switch with the button in the bar. axe and screenshots on each.
 */
import { describe, expect, it } from 'vitest';
import { gb11643CheckChar } from '../../common/cert-number.js';
import { closeClean, openKiosk, uiSuite } from './suite.js';
import { axeScan, screenshot } from './support.js';

const ui = uiSuite();

/** A 2023 永居证 number: 9, province, country, birth date, sequence, check character (GB 11643). */
const PERMIT = (() => {
  const first = `911840${'19850315'}001`;
  return first + gb11643CheckChar(first);
})();

describe('kiosk in English', () => {
  it('turns to English for a 永居证 card, takes the ticket in English, and is Chinese again for the next person', async () => {
    const page = await openKiosk(ui, { bridge: 'sim', terminal: 'kiosk-en' });
    await page.getByRole('button', { name: /^取号/ }).waitFor();
    const card = {
      name: 'SMITH JOHN',
      gender: '男',
      birthDate: '1985-03-15',
      certNo: PERMIT,
      certType: 'foreign_2023',
      address: '',
    };
    await page.evaluate(`window.govhallSim.card(${JSON.stringify(card)})`);
    await page.getByRole('heading', { name: 'Choose a service' }).waitFor();
    expect(await page.evaluate('document.documentElement.lang')).toBe('en');
    await page.getByText('(ID card read)').waitFor();
    expect(await axeScan(page)).toEqual([]);
    await screenshot(page, 'kiosk-en-services');
    await page.getByRole('button', { name: /综合咨询/ }).click();
    await page.getByText('Your number', { exact: true }).waitFor();
    await page.getByText(/ahead of you/).waitFor();
    expect(await axeScan(page)).toEqual([]);
    await screenshot(page, 'kiosk-en-ticket');
    // Spoken prompts follow the language too.
    const spoken = (await page.evaluate('window.govhallSpeech')) as string[];
    expect(spoken.at(-1) ?? '').toMatch(/Your number is|ticket/);
    await page.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('button', { name: /^取号/ }).waitFor();
    expect(await page.evaluate('document.documentElement.lang')).toBe('zh-CN');
    await closeClean(page);
  }, 120_000);

  it('switches to English and back with the button in the bar', async () => {
    const page = await openKiosk(ui, { bridge: 'sim', terminal: 'kiosk-en2' });
    await page.getByTestId('language').click();
    await page.getByRole('button', { name: /^Take a ticket/ }).waitFor();
    await page.getByText('If you need help, please ask the hall staff').waitFor();
    expect(await axeScan(page)).toEqual([]);
    await screenshot(page, 'kiosk-en-home');
    await page.getByTestId('language').click();
    await page.getByRole('button', { name: /^取号/ }).waitFor();
    await closeClean(page);
  }, 120_000);
});
