/**
 * One hall day, end to end, with simulated devices (issue 5, "Tests"): the hall runs as
 * `govhall start` runs it (`startEmbeddedHall`: hub, role UIs, device service with every device on
 * its simulator, pad endpoint, admin routes; demo hall, temp data dir, port 0), and five role pages
 * are open in one Chromium at the addresses `govhall start` prints.
 *
 *   1. a resident card presented on the kiosk's simulated ID card reader (SAM_V over an in-memory
 *      link) fills the kiosk — through the device service and the hub's browser device bridge;
 *   2. a ticket is taken and printed: the printer simulator decodes the ESC/POS bytes and the big
 *      number on paper equals the number on the kiosk screen;
 *   3. window 1 signs in and calls it (F1); the applicant shows in full to the serving staff;
 *   4. the display shows the call and queues the announcement (speechSynthesis recorded in the
 *      page), said twice as the demo hall's template says; window 1's LED strip shows it too;
 *   5. the window starts and finishes a case through the 办结 form (F8, F9);
 *   6. window 1's evaluator rates it 不满意 with a reason from the hub's reason codes;
 *   7. the counter sees the rating; the admin dashboard shows the counts and the 差评 with its reason.
 *
 * Screenshots of every step: test-results/screenshots/e2e-*.png. No wall-clock assertions: every
 * wait is a Playwright wait or a bounded poll.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateCardJson } from '../../drivers/idcard/card-json.js';
import { renderTicket } from '../../drivers/printer/printer-simulator.js';
import { qrUrlFor } from '../../drivers/printer/ticket-layout.js';
import { waitFor } from '../../drivers/testing/wait-for.js';
import { call } from '../support/hub-client.js';
import { launchBrowser, ROOT, SCREENSHOT_DIR, VIEWPORTS } from '../ui/support.js';
import { type E2eHall, startE2eHall } from './hall.js';
import { type E2ePage, openAt, pageProblems, SPEECH_RECORDER, shot, spokenOn } from './pages.js';

const CARD = validateCardJson(
  JSON.parse(readFileSync(join(ROOT, 'drivers', 'idcard', 'sample-cards', 'resident.json'), 'utf8')),
);
/** The 社保医保 事项 finished at the window (one of the service's task codes in the demo hall). */
const TASK_CODE = '11330106MB1234567X4000112001000';

let hall: E2eHall;
let browser: Browser;
const pages: E2ePage[] = [];

beforeAll(async () => {
  hall = await startE2eHall();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await hall?.close();
});

describe('one hall day', () => {
  it('card → ticket printed → called → shown and announced → finished → rated 不满意 → on the dashboard', async () => {
    expect(hall.hall.devices.service?.statuses().length).toBeGreaterThan(0);
    const url = (key: string) => {
      const u = hall.urls.get(key);
      if (!u) throw new Error(`govhall start 没有给出 ${key} 的地址`);
      return u;
    };

    // ---------------------------------------------------------------- the terminals come up
    const display = await openAt(browser, url('display'), {
      viewport: VIEWPORTS.display1080,
      initScript: SPEECH_RECORDER,
    });
    const evaluator = await openAt(browser, url('evaluator:1'), { viewport: VIEWPORTS.evaluatorPortrait, touch: true });
    const counter = await openAt(browser, url('counter:1'), { viewport: VIEWPORTS.counter });
    const admin = await openAt(browser, url('admin'), { viewport: { width: 1920, height: 1080 } });
    const kiosk = await openAt(browser, url('kiosk'), { viewport: VIEWPORTS.kioskPortrait, touch: true });
    pages.push(display, evaluator, counter, admin, kiosk);
    // Generous first waits: the machine's two cores are shared with other suites.
    await display.getByRole('heading', { name: '演示市民服务中心' }).waitFor({ timeout: 30_000 });
    await display.getByText('已连接').waitFor({ timeout: 30_000 });
    await evaluator.getByText('1 号窗口').waitFor({ timeout: 30_000 });
    await admin.getByTestId('kpi-issued').getByText('0').waitFor({ timeout: 30_000 });

    // The counter signs in (demo staff 8001, PIN 123456) at window 1.
    await counter.getByRole('heading', { name: '窗口签到' }).waitFor({ timeout: 30_000 });
    await counter.getByLabel('工号').fill('8001');
    await counter.getByLabel('PIN').fill('123456');
    await counter.getByRole('button', { name: '签到' }).click();
    await counter.getByRole('heading', { name: /1号窗口/ }).waitFor();
    await counter.getByText('工号 8001 · 陈建国').waitFor();
    // The pad connected before anyone signed in; the sign-in changes the window's staff, so the hub
    // sends the pad a fresh welcome: the idle screen shows who serves, by name and number.
    const idleStaff = evaluator.getByRole('region', { name: '工作人员信息' });
    await idleStaff.getByText('陈建国', { exact: true }).waitFor();
    await idleStaff.getByText('工号 8001').waitFor();
    await evaluator.locator('.conn.open').waitFor();
    const padWelcomes = () =>
      evaluator.framesOn('/api/v1/pads').filter((f) => (f as { type?: string }).type === 'welcome') as {
        staff: { no: string; name: string } | null;
      }[];
    expect(padWelcomes().at(-1)?.staff).toEqual({ no: '8001', name: '陈建国' });
    await shot(evaluator, '00-evaluator-idle');
    await shot(counter, '00-counter-signed-in');

    // ---------------------------------------------------------------- 1. the card fills the kiosk
    await kiosk.getByRole('button', { name: /^取号/ }).waitFor({ timeout: 30_000 });
    // The bridge is live once the hub has sent this terminal's device states over it.
    await waitFor('the kiosk device bridge', () =>
      kiosk.framesOn('/devices/bridge').some((f) => (f as { type?: string }).type === 'device.status'),
    );
    await shot(kiosk, '01-kiosk-home');
    const reader = hall.reader();
    reader.presentCard(CARD);
    const applicant = kiosk.getByTestId('applicant');
    await applicant.getByText('已读取身份证').waitFor();
    expect(await applicant.textContent()).toContain('李*英');
    // Born 1955: the holder is 60+, so 长辈模式 turns itself on.
    await kiosk.getByRole('button', { name: '退出长辈模式' }).waitFor();
    await shot(kiosk, '02-kiosk-card-read');

    // ---------------------------------------------------------------- 2. ticket taken and printed
    const printer = hall.printer();
    const printedBefore = printer.tickets.length;
    await kiosk.getByRole('button', { name: /社保医保/ }).click();
    const numberEl = kiosk.getByTestId('ticket-number');
    await numberEl.waitFor();
    const number = ((await numberEl.textContent()) ?? '').trim();
    expect(number).toMatch(/^A\d{3}$/);
    await kiosk.getByText('老年人优先').waitFor();
    await kiosk.getByTestId('print-ok').waitFor();
    // The kiosk sends only the ticket's facts (the priority as its label, the ticket id); the hall's
    // texts and QR URL are the hub's, from the running config.
    const sent = kiosk.sentOn('/devices/bridge').find((f) => (f as { type?: string }).type === 'print') as
      | { ticket: Record<string, unknown> }
      | undefined;
    expect(sent?.ticket).toMatchObject({ number, priority: '老年人优先' });
    expect(sent?.ticket).not.toHaveProperty('qr');
    expect(sent?.ticket).not.toHaveProperty('footer');
    await shot(kiosk, '03-kiosk-ticket-printed');
    const paper = await waitFor('the printed ticket', () => printer.tickets[printedBefore]);
    expect(paper.cut).toBe(true);
    // The number as the printer would print it: the big line (double width or more).
    const big = paper.items.flatMap((i) => (i.type === 'text' && i.width >= 2 ? [i.text.trim()] : []));
    expect(big).toContain(number);
    expect(paper.lines.join('\n')).toContain('社保医保');
    expect(paper.lines.join('\n')).toContain('演示市民服务中心');
    // Never the full name or ID number on paper.
    expect(paper.lines.join('\n')).not.toContain('李秀英');
    expect(paper.lines.join('\n')).not.toContain(CARD.idNumber);
    expect(paper.qrPayloads).toHaveLength(1);
    // The priority as a label, the config's header and footer, and the QR URL of ticketText.qrUrl
    // (the phone page of this very ticket's code), never the kiosk's terminal id or a raw code.
    const text = paper.lines.join('\n');
    expect(text).toContain('（老年人优先）');
    expect(text).not.toContain('elderly');
    expect(text).not.toContain('kiosk-1');
    expect(paper.lines[0]?.trim()).toBe(hall.config.ticketText.header);
    expect(paper.lines.join('').replace(/\s+/g, '')).toContain(hall.config.ticketText.footer.replace(/\s+/g, ''));
    const ticketId = sent?.ticket.ticketId as string;
    expect(paper.qrPayloads[0]).toBe(
      qrUrlFor(hall.config.ticketText.qrUrl ?? '', {
        ticketId,
        ticketCode: (sent?.ticket.ticketCode as string | undefined) ?? '?',
        number,
        baseUrl: hall.url,
        ...(hall.config.public ? { publicBaseUrl: hall.config.public.baseUrl } : {}),
      }),
    );
    const issued = await call(hall.url, 'GET', `/tickets/${encodeURIComponent(ticketId)}`, hall.adminToken);
    expect(issued.body).toMatchObject({ id: ticketId, number });
    // The paper as the printer decoded it, kept beside the screenshots for a human to read.
    writeFileSync(
      join(SCREENSHOT_DIR, 'e2e-03-printed-ticket.txt'),
      `${renderTicket(paper)}\nQR: ${paper.qrPayloads.join(' | ')}\n`,
    );
    // The card lay on the reader through several polls: one card event, text fields only (no photo).
    const bridgeFrames = () => kiosk.framesOn('/devices/bridge') as { type?: string; card?: object }[];
    const cards = bridgeFrames().filter((f) => f.type === 'card');
    expect(cards).toHaveLength(1);
    expect(cards[0]?.card).toMatchObject({ name: '李秀英', certNo: CARD.idNumber, birthDate: '1955-03-15' });
    expect(cards[0]?.card).not.toHaveProperty('photo');
    // Lifted: the reader reports it gone.
    reader.lift();
    await waitFor('card.removed on the bridge', () => bridgeFrames().some((f) => f.type === 'card.removed'));

    // ---------------------------------------------------------------- 3. window 1 calls it
    await counter.getByRole('region', { name: '本窗口业务等候' }).getByText('1 人等候').waitFor();
    await counter.keyboard.press('F1');
    const current = counter.getByTestId('current-ticket');
    await current.getByText(number).waitFor();
    // The serving staff sees the applicant in full (the hub masks them for everyone else).
    await current.getByText(`李秀英（${CARD.idNumber}）`).waitFor();
    await current.getByText('老年人优先').waitFor();
    await shot(counter, '04-counter-called');

    // ---------------------------------------------------------------- 4. the display shows and announces it
    await display.getByTestId('latest-call').getByText(number).waitFor();
    const windowsOnDisplay = display.getByRole('region', { name: '各窗口' });
    await windowsOnDisplay.getByText(number).waitFor();
    // One wording of window states for every role: nobody signed in at window 2 → 未开放 (as on the
    // admin page), never 暂停服务, which means a staff pause.
    await windowsOnDisplay.getByText('未开放').first().waitFor();
    expect(await windowsOnDisplay.getByText('暂停服务').count()).toBe(0);
    const announcement = `请${number}号到1号窗口办理`;
    await expect.poll(() => spokenOn(display), { timeout: 10_000 }).toEqual([announcement, announcement]);
    expect(await display.evaluate('window.__maxConcurrent')).toBe(1);
    await shot(display, '05-display-called');
    // Window 1's LED strip (simulated, 69-byte frames decoded) follows the call with its own template.
    await waitFor('the LED strip text', () => hall.led('w1-led')?.text === `${number}号请到1号窗口`);

    // ---------------------------------------------------------------- 5. the window finishes a case
    await counter.keyboard.press('F8');
    await current.getByText('办理中').waitFor();
    await counter.keyboard.press('F9');
    const form = counter.getByRole('dialog', { name: `办结 ${number}` });
    await form.waitFor();
    await form.getByLabel('办理事项').selectOption(TASK_CODE);
    await form.getByLabel('办结结果').selectOption('approved');
    await shot(counter, '06-counter-finish-form');
    await form.getByRole('button', { name: '确认办结' }).click();
    await counter.getByTestId('rating-status').getByText('等待评价').waitFor();
    await shot(counter, '07-counter-waiting-rating');

    // ---------------------------------------------------------------- 6. the evaluator rates 不满意 with a reason
    await evaluator.getByText('请对本次服务进行评价').waitFor();
    await evaluator.getByText('工作人员：陈建国（工号 8001）').waitFor();
    const levels = evaluator.locator('.rating-level');
    expect(await levels.count()).toBe(5);
    expect(
      await levels.evaluateAll((els: any[]) => els.filter((e) => e.getAttribute('aria-pressed') === 'true').length),
    ).toBe(0);
    await shot(evaluator, '08-evaluator-asked');
    await evaluator.getByRole('button', { name: /^不满意/ }).click();
    await evaluator.locator('.rating-reasons').waitFor();
    // The reasons are the hub's codes (pad endpoint welcome): R103 等候时间过长 in the demo catalogue.
    await evaluator.getByRole('button', { name: /等候时间过长/ }).click();
    await shot(evaluator, '09-evaluator-reason');
    await evaluator.getByRole('button', { name: '提交评价' }).click();
    await evaluator.getByText('感谢您的评价！').waitFor();
    await shot(evaluator, '10-evaluator-thanks');

    // ---------------------------------------------------------------- 7. counter and admin see the rating
    const ratingStatus = counter.getByTestId('rating-status');
    await ratingStatus.getByText('群众已评价：不满意').waitFor();
    // A 差评 is information for the staff, not a success: a neutral box, never the green one.
    expect(await ratingStatus.getAttribute('class')).toMatch(/\bbad\b/);
    const ratingColours = await ratingStatus.evaluate((el: any) => {
      const cs = (globalThis as any).getComputedStyle(el);
      return [cs.color, cs.borderTopColor, cs.backgroundColor] as string[];
    });
    expect(ratingColours).not.toContain('rgb(30, 107, 52)'); // --ok
    expect(ratingColours).not.toContain('rgb(231, 244, 234)');
    await shot(counter, '11-counter-rated');

    const adminToken = hall.adminToken;
    const audit = await call(hall.url, 'GET', '/admin/audit?prefix=case.&limit=1', adminToken);
    const caseId = audit.body[0]?.subject as string;
    const c = await call(hall.url, 'GET', `/cases/${caseId}`, adminToken);
    expect(c.status).toBe(200);
    expect(c.body).toMatchObject({ taskCode: TASK_CODE, result: 'approved', windowNo: 1 });
    expect(c.body.evaluations).toEqual([
      expect.objectContaining({ level: 'dissatisfied', reasons: ['R103'], channel: 'pad' }),
    ]);

    await admin.getByTestId('kpi-issued').getByText('1').waitFor();
    await admin.getByTestId('kpi-served').getByText('1').waitFor();
    await admin.getByTestId('kpi-waiting').getByText('0').waitFor();
    await admin.getByTestId('kpi-rate').getByText('0.0%').waitFor();
    const bad = admin.getByTestId('bad-list');
    await bad.getByText('不满意').waitFor();
    await admin.locator('.a-windows').getByText('未开放').first().waitFor();
    // The reason in words (the hub's reason list), not the bare code.
    await bad.getByText(/等候时间过长/).waitFor();
    // No platform here: the 事项 is named by the demo hall's local catalogue, never the bare code.
    await bad.getByText('城乡居民基本养老保险参保登记').first().waitFor();
    expect(await bad.getByText(TASK_CODE).count()).toBe(0);
    await admin.getByRole('img', { name: /今日评价等级分布/ }).waitFor();
    await shot(admin, '12-admin-dashboard');

    // The devices page: the kiosk's reader and printer are up.
    await admin.getByRole('button', { name: '设备', exact: true }).click();
    for (const id of ['kiosk-1-idcard', 'kiosk-1-printer']) {
      await admin
        .getByRole('row', { name: new RegExp(id) })
        .getByText('正常')
        .waitFor();
    }
    await shot(admin, '13-admin-devices');

    // Back to the start: the kiosk's 完成 wipes the person.
    await kiosk.getByRole('button', { name: '完成' }).click();
    await kiosk.getByRole('button', { name: /^取号/ }).waitFor();
    expect(await kiosk.getByText('李*英').count()).toBe(0);

    for (const p of pages) expect({ url: p.url(), problems: pageProblems(p) }).toEqual({ url: p.url(), problems: [] });
  });
});
