/**
 * The queue engine: issuing, calling, skipping, transferring and the business day. Pure logic over
 * an injected clock and repository; the rules are written down in docs/queue-rules.md.
 *
 * Every command runs in one repository transaction (validate → change tickets and windows → audit →
 * events). Memory indexes change only after the commit, so a refused or failed command leaves both
 * the database and the engine exactly as they were.
 */

import { ageOn, checkCertNo } from '../../common/cert-number.js';
import { businessDayOf, localTimeOfDay, parseTimeOfDay } from '../../common/hall-time.js';
import type { HallConfig, OpeningPeriod, QueueServiceConfig, WindowConfig } from '../../kiosk-config/hall-config.js';
import type { Clock } from '../time/clock.js';
import type {
  DayStatistics,
  IssueRequest,
  QueueEngineApi,
  ServiceQueueView,
  TicketView,
  TransferRequest,
} from './engine-api.js';
import { type TicketClass, WaitingIndex } from './queue-index.js';
import type { QueueRepository, StoredEvent } from './repository.js';
import { checkCancel, grantedPriority, isTrusted } from './requester-rules.js';
import { computeDayStatistics } from './statistics.js';
import { type Actor, QueueError, type QueueEvent, type Ticket, type WindowStatus } from './types.js';

export interface QueueEngineOptions {
  config: HallConfig;
  repo: QueueRepository;
  clock: Clock;
  newId?: () => string;
}

const SYSTEM: Actor = { role: 'system', terminalId: null, staffNo: null };
/** A leg that waits again or anew: nobody has called or served it yet. */
const NOT_CALLED = {
  windowNo: null,
  staffNo: null,
  calledAt: null,
  startedAt: null,
  finishedAt: null,
  recallCount: 0,
  requeued: false,
} as const;
const RECENT_FOR_ESTIMATE = 20;
export const DEFAULT_AGING_LIMIT_SECONDS = 1800;

/** Sortable unique ids: time, a per-process counter and randomness (Crockford base32). */
export function createIdGenerator(clock: Clock): () => string {
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  let counter = 0;
  return () => {
    let t = clock.now();
    let time = '';
    for (let i = 0; i < 10; i++) {
      time = alphabet[t % 32] + time;
      t = Math.floor(t / 32);
    }
    counter = (counter + 1) % 32768;
    let rest = '';
    for (let i = 0; i < 3; i++) rest += alphabet[(counter >> (5 * (2 - i))) & 31];
    for (let i = 0; i < 7; i++) rest += alphabet[Math.floor(Math.random() * 32)];
    return time + rest;
  };
}

interface Pending {
  tickets: Map<string, Ticket>;
  inserted: Set<string>;
  windows: Map<number, WindowStatus>;
  events: QueueEvent[];
  audit: { action: string; subject: string | null; detail: Record<string, unknown> | null }[];
  touchedServices: Set<string>;
}

export class QueueEngine implements QueueEngineApi {
  config: HallConfig;
  private readonly repo: QueueRepository;
  private readonly clock: Clock;
  private readonly newId: () => string;
  private readonly active = new Map<string, Ticket>();
  private readonly windowState = new Map<number, WindowStatus>();
  private readonly waiting: WaitingIndex;
  private readonly listeners = new Set<(events: StoredEvent[]) => void>();
  private readonly serveEstimate = new Map<string, number>();
  private lastBackOrder = 0;
  private pending: Pending | null = null;
  /** The business day last written to meta; the hub is the only writer, so memory is enough. */
  private storedDay: string | null = null;
  private pendingDay: string | null = null;

  constructor(opts: QueueEngineOptions) {
    this.config = opts.config;
    this.repo = opts.repo;
    this.clock = opts.clock;
    this.newId = opts.newId ?? createIdGenerator(opts.clock);
    this.waiting = new WaitingIndex((t) => this.classOf(t));
    for (const w of this.repo.getWindows()) this.windowState.set(w.no, w);
    for (const t of this.repo.listActiveTickets()) this.active.set(t.id, t);
    this.rebuildIndex();
    this.storedDay = this.repo.getMeta('businessDay');
    if (this.storedDay === null) {
      const today = this.businessDay();
      this.repo.transaction(() => this.repo.setMeta('businessDay', today));
      this.storedDay = today;
    }
  }

  // ---------------------------------------------------------------- configuration and reads

  applyConfig(config: HallConfig): void {
    this.config = config;
    this.serveEstimate.clear();
    this.rebuildIndex();
  }

  /** Today in the hall's time zone — never earlier than a day already rolled to (clock set back). */
  businessDay(): string {
    const today = businessDayOf(this.clock.now(), this.config.hall.timeZone);
    return this.storedDay !== null && this.storedDay > today ? this.storedDay : today;
  }

  onEvents(listener: (events: StoredEvent[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  getTicket(id: string): TicketView | null {
    const t = this.active.get(id) ?? this.repo.getTicket(id);
    return t ? this.view(t) : null;
  }

  window(windowNo: number): WindowStatus {
    this.windowConfig(windowNo);
    return this.currentWindow(windowNo);
  }

  windows(): WindowStatus[] {
    return this.config.windows.map((w) => this.currentWindow(w.no));
  }

  services(): ServiceQueueView[] {
    const now = this.clock.now();
    return this.config.services.map((s) => {
      const waiting = this.waiting.waitingCount(s.code);
      return {
        code: s.code,
        waiting,
        open: this.isOpen(s, now),
        estimatedWaitSeconds: this.estimateSeconds(s.code, waiting),
      };
    });
  }

  waitingTickets(serviceCode?: string): Ticket[] {
    const all = this.waiting.all().filter((t) => serviceCode === undefined || t.serviceCode === serviceCode);
    return all.sort((a, b) => a.queueOrder - b.queueOrder);
  }

  announcementFor(ticket: Ticket, windowNo: number): string {
    const w = this.config.windows.find((x) => x.no === windowNo);
    const s = this.config.services.find((x) => x.code === ticket.serviceCode);
    return this.config.announcement.template
      .replaceAll('{number}', ticket.number)
      .replaceAll('{window}', String(windowNo))
      .replaceAll('{windowName}', w?.name ?? `${windowNo}号窗口`)
      .replaceAll('{service}', s?.name ?? ticket.serviceCode);
  }

  statistics(businessDay: string): DayStatistics {
    return computeDayStatistics(this.repo.listTicketsOfDay(businessDay), businessDay, this.config.hall.timeZone);
  }

  // ---------------------------------------------------------------- business day

  rolloverIfDue(actor: Actor = SYSTEM): void {
    const today = businessDayOf(this.clock.now(), this.config.hall.timeZone);
    const stored = this.storedDay;
    // A clock set back must not reopen a closed day: only roll forward.
    if (stored !== null && stored >= today) return;
    const stale = [...this.active.values()].filter((t) => t.businessDay < today);
    this.command(actor, 'day.rollover', today, () => {
      const now = this.clock.now();
      let expired = 0;
      for (const t of stale) {
        if (t.status === 'serving') {
          this.put({ ...t, status: 'done', finishedAt: now });
        } else {
          expired++;
          this.put({ ...t, status: 'cancelled', closedReason: 'expired', finishedAt: now });
        }
      }
      for (const w of this.config.windows) {
        const cur = this.currentWindow(w.no);
        this.putWindow({
          ...cur,
          state: 'closed',
          staffNo: null,
          currentTicketId: null,
          pauseReason: null,
          normalSincePriority: this.config.priority.normalPerPriority,
          updatedAt: now,
        });
      }
      this.repo.setMeta('businessDay', today);
      this.pendingDay = today;
      this.emit({ type: 'day.rolled', from: stored ?? today, to: today, expired });
      this.note({ from: stored, to: today, expired, closedServing: stale.length - expired });
    });
  }

  // ---------------------------------------------------------------- issuing

  issue(req: IssueRequest, actor: Actor): TicketView {
    this.rolloverIfDue();
    const ticket = this.command(actor, 'ticket.issue', req.serviceCode, () => {
      const now = this.clock.now();
      const day = this.businessDay();
      const service = this.config.services.find((s) => s.code === req.serviceCode);
      if (!service) throw new QueueError('UNKNOWN_SERVICE', `业务「${req.serviceCode}」不存在`, 'serviceCode');
      if (!this.isOpen(service, now)) {
        throw new QueueError('SERVICE_CLOSED', `「${service.name}」当前不在取号时间内`, 'serviceCode');
      }
      const applicant = req.applicant ?? null;
      let birthDate: string | null = null;
      if (applicant) {
        const check = checkCertNo(applicant.certType, applicant.certNo, day);
        if (!check.ok) throw new QueueError('INVALID_CERT_NO', check.reason, 'applicant.certNo');
        applicant.certNo = check.normalized;
        birthDate = check.birthDate;
      } else if ((req.channel === 'kiosk' || req.channel === 'mobile') && !service.allowAnonymous) {
        throw new QueueError(
          'ANONYMOUS_NOT_ALLOWED',
          `「${service.name}」需要刷身份证或输入证件号码取号；没有证件请到咨询台由工作人员取号`,
          'applicant',
        );
      }
      const enabled = this.config.priority.enabled;
      // The elderly green channel applies without asking: 60 and over on the business day.
      const automatic = birthDate && enabled.includes('elderly') && ageOn(birthDate, day) >= 60 ? 'elderly' : null;
      // Who may claim a priority is decided before whether the hall offers it: a kiosk learns nothing.
      const priority = grantedPriority(actor, req.priority ?? null, automatic);
      if (priority && !enabled.includes(priority)) {
        throw new QueueError('PRIORITY_NOT_ENABLED', `本大厅未启用「${priority}」优先`, 'priority');
      }

      // Taking the number first is safe: a refusal below rolls the counter back with everything else.
      const seq = this.repo.nextSeq(day, service.code);
      if (service.dailyCap > 0 && seq > service.dailyCap) {
        throw new QueueError('DAILY_LIMIT_REACHED', `「${service.name}」今日号源已取完（${service.dailyCap} 个）`);
      }
      const value = service.numberRange.from + seq - 1;
      if (value > service.numberRange.to)
        throw new QueueError('DAILY_LIMIT_REACHED', `「${service.name}」今日号段已用完`);
      const width = String(service.numberRange.to).length;
      const t: Ticket = {
        id: this.newId(),
        number: `${service.prefix}${String(value).padStart(width, '0')}`,
        seq,
        serviceCode: service.code,
        issuedServiceCode: service.code,
        businessDay: day,
        status: 'waiting',
        priority,
        channel: req.channel,
        appointmentId: req.appointmentId ?? null,
        applicant: applicant ? { ...applicant } : null,
        issuedAt: now,
        queuedAt: now,
        queueOrder: this.backOrder(now),
        targetWindowNo: null,
        ...NOT_CALLED,
        transferredFrom: null,
        transferredTo: null,
        closedReason: null,
        terminalId: actor.terminalId,
        issuedBy: req.issuedBy ?? null,
      };
      this.put(t, true);
      req.onIssued?.(t);
      this.emit({ type: 'ticket.issued', ticket: t });
      this.note({ number: t.number, channel: t.channel, priority: t.priority }, t.id);
      return t;
    });
    return this.view(ticket);
  }

  cancel(ticketId: string, actor: Actor, tokenId: string | null = null): Ticket {
    this.rolloverIfDue();
    return this.command(actor, 'ticket.cancel', ticketId, () => {
      const t = this.activeTicket(ticketId);
      const now = this.clock.now();
      checkCancel(t, { role: actor.role, tokenId }, now);
      if (t.status !== 'waiting') throw new QueueError('INVALID_STATE', `票号 ${t.number} 不在等候中，不能取消`);
      const done = this.put({
        ...t,
        status: 'cancelled',
        closedReason: isTrusted(actor) ? 'cancelled_by_staff' : 'undone_at_kiosk',
        finishedAt: now,
      });
      this.emit({ type: 'ticket.changed', ticket: done });
      return done;
    });
  }

  // ---------------------------------------------------------------- windows

  openWindow(windowNo: number, staffNo: string, actor: Actor): WindowStatus {
    this.rolloverIfDue();
    return this.command(actor, 'window.open', String(windowNo), () => {
      this.windowConfig(windowNo);
      const cur = this.currentWindow(windowNo);
      const next = this.putWindow({
        ...cur,
        state: cur.state === 'closed' ? 'idle' : cur.state,
        staffNo,
        updatedAt: this.clock.now(),
      });
      this.note({ staffNo });
      return next;
    });
  }

  closeWindow(windowNo: number, actor: Actor): WindowStatus {
    this.rolloverIfDue();
    return this.command(actor, 'window.close', String(windowNo), () => {
      this.windowConfig(windowNo);
      const cur = this.currentWindow(windowNo);
      const ticket = this.currentTicketOf(cur);
      // Whoever was called or being served goes back to the head of the queue, not lost.
      if (ticket) this.backToQueue(ticket, 'front');
      const next = this.putWindow({
        ...cur,
        state: 'closed',
        staffNo: null,
        currentTicketId: null,
        pauseReason: null,
        updatedAt: this.clock.now(),
      });
      this.note({ returned: ticket?.number ?? null });
      return next;
    });
  }

  callNext(windowNo: number, actor: Actor): Ticket | null {
    this.rolloverIfDue();
    return this.command(actor, 'window.call-next', String(windowNo), () => {
      const cur = this.readyWindow(windowNo);
      const pick = this.choose(windowNo, cur);
      if (!pick) {
        this.note({ result: 'empty' });
        return null;
      }
      return this.callTicket(cur, pick.ticket, pick.cls);
    });
  }

  call(windowNo: number, ticketId: string, actor: Actor): Ticket {
    this.rolloverIfDue();
    return this.command(actor, 'window.call', String(windowNo), () => {
      const cur = this.readyWindow(windowNo);
      const t = this.active.get(ticketId) ?? this.repo.getTicket(ticketId);
      if (!t) throw new QueueError('UNKNOWN_TICKET', `票号不存在：${ticketId}`, 'ticketId');
      if (t.businessDay !== this.businessDay()) {
        throw new QueueError('INVALID_STATE', `票号 ${t.number} 不是今天的号`, 'ticketId');
      }
      // A skipped citizen who turns up late may be called again by hand.
      if (t.status !== 'waiting' && t.status !== 'skipped') {
        throw new QueueError('INVALID_STATE', `票号 ${t.number} 当前状态为「${t.status}」，不能叫号`, 'ticketId');
      }
      if (!this.isCandidate(t, windowNo)) {
        throw new QueueError('SERVICE_NOT_AT_WINDOW', `票号 ${t.number} 不在 ${windowNo} 号窗口办理范围内`, 'ticketId');
      }
      return this.callTicket(cur, t, this.classOf(t));
    });
  }

  recall(windowNo: number, actor: Actor): Ticket {
    this.rolloverIfDue();
    return this.command(actor, 'window.recall', String(windowNo), () => {
      const cur = this.openWindowState(windowNo);
      const t = this.currentTicketOf(cur);
      if (t?.status !== 'called') throw new QueueError('NO_CURRENT_TICKET', `${windowNo} 号窗口没有已呼叫待到的号`);
      const next = this.put({ ...t, recallCount: t.recallCount + 1 });
      this.emit({
        type: 'ticket.recalled',
        ticket: next,
        windowNo,
        announcement: this.announcementFor(next, windowNo),
        recallCount: next.recallCount,
      });
      this.note({ number: next.number, recallCount: next.recallCount }, next.id);
      return next;
    });
  }

  skip(windowNo: number, opts: { requeue?: boolean }, actor: Actor): Ticket {
    this.rolloverIfDue();
    return this.command(actor, 'window.skip', String(windowNo), () => {
      const cur = this.openWindowState(windowNo);
      const t = this.currentTicketOf(cur);
      if (t?.status !== 'called') throw new QueueError('NO_CURRENT_TICKET', `${windowNo} 号窗口没有已呼叫待到的号`);
      let next: Ticket;
      if (opts.requeue) {
        if (t.requeued) throw new QueueError('ALREADY_REQUEUED', `票号 ${t.number} 已经重新排过一次队`, 'requeue');
        next = this.backToQueue({ ...t, requeued: true }, 'back');
      } else {
        next = this.put({ ...t, status: 'skipped', finishedAt: this.clock.now() });
        this.emit({ type: 'ticket.changed', ticket: next });
      }
      this.putWindow({ ...cur, state: 'idle', currentTicketId: null, updatedAt: this.clock.now() });
      this.note({ number: t.number, requeue: opts.requeue === true }, t.id);
      return next;
    });
  }

  transfer(windowNo: number, req: TransferRequest, actor: Actor): Ticket {
    this.rolloverIfDue();
    return this.command(actor, 'window.transfer', String(windowNo), () => {
      const cur = this.openWindowState(windowNo);
      const t = this.currentTicketOf(cur);
      if (!t) throw new QueueError('NO_CURRENT_TICKET', `${windowNo} 号窗口当前没有可转移的号`);
      const toService = req.toServiceCode ?? t.serviceCode;
      if (!this.config.services.some((s) => s.code === toService)) {
        throw new QueueError('UNKNOWN_SERVICE', `业务「${toService}」不存在`, 'toServiceCode');
      }
      const toWindow = req.toWindowNo ?? null;
      if (toWindow !== null && !this.config.windows.some((w) => w.no === toWindow)) {
        throw new QueueError('UNKNOWN_WINDOW', `窗口 ${toWindow} 不存在`, 'toWindowNo');
      }
      if (toWindow === null && req.toServiceCode == null) {
        throw new QueueError('INVALID_STATE', '转移需要目标业务或目标窗口', 'toServiceCode');
      }
      const now = this.clock.now();
      const legId = this.newId();
      const ended = this.put({ ...t, status: 'transferred', finishedAt: now, transferredTo: legId });
      const front = this.waiting.frontOrder(toService);
      const leg = this.put(
        {
          ...t,
          id: legId,
          status: 'waiting',
          serviceCode: toService,
          queuedAt: now,
          queueOrder: req.position === 'front' ? Math.min(front ?? now, now) - 1 : this.backOrder(now),
          targetWindowNo: toWindow,
          ...NOT_CALLED,
          transferredFrom: t.id,
          transferredTo: null,
        },
        true,
      );
      this.putWindow({ ...cur, state: 'idle', currentTicketId: null, updatedAt: now });
      this.emit({ type: 'ticket.changed', ticket: ended });
      this.emit({ type: 'ticket.changed', ticket: leg });
      this.note({ number: t.number, toService, toWindow, position: req.position, leg: leg.id }, t.id);
      return leg;
    });
  }

  pause(windowNo: number, reason: string, actor: Actor): WindowStatus {
    this.rolloverIfDue();
    return this.command(actor, 'window.pause', String(windowNo), () => {
      const cur = this.openWindowState(windowNo);
      const why = reason.trim();
      if (!why) throw new QueueError('INVALID_STATE', '暂停需要填写原因', 'reason');
      if (cur.state === 'paused') throw new QueueError('WINDOW_PAUSED', `${windowNo} 号窗口已经暂停`);
      if (cur.currentTicketId)
        throw new QueueError('WINDOW_BUSY', `${windowNo} 号窗口还有未办结的号，请先办结、过号或转移`);
      this.note({ reason: why });
      return this.putWindow({ ...cur, state: 'paused', pauseReason: why.slice(0, 100), updatedAt: this.clock.now() });
    });
  }

  resume(windowNo: number, actor: Actor): WindowStatus {
    this.rolloverIfDue();
    return this.command(actor, 'window.resume', String(windowNo), () => {
      const cur = this.openWindowState(windowNo);
      if (cur.state !== 'paused') throw new QueueError('INVALID_STATE', `${windowNo} 号窗口没有暂停`);
      return this.putWindow({ ...cur, state: 'idle', pauseReason: null, updatedAt: this.clock.now() });
    });
  }

  start(windowNo: number, actor: Actor): Ticket {
    this.rolloverIfDue();
    return this.command(actor, 'window.start', String(windowNo), () => {
      const cur = this.openWindowState(windowNo);
      const t = this.currentTicketOf(cur);
      if (!t) throw new QueueError('NO_CURRENT_TICKET', `${windowNo} 号窗口当前没有已呼叫的号`);
      if (t.status !== 'called') throw new QueueError('INVALID_STATE', `票号 ${t.number} 已经在办理中`);
      const now = this.clock.now();
      const next = this.put({ ...t, status: 'serving', startedAt: now });
      this.putWindow({ ...cur, state: 'serving', updatedAt: now });
      this.emit({ type: 'ticket.changed', ticket: next });
      this.note({ number: t.number }, t.id);
      return next;
    });
  }

  /**
   * `inTransaction` runs inside the same transaction, after the ticket is done: the hub records the
   * case there, so ticket and case commit together, and any events it returns are published with the
   * engine's own — only after the commit.
   */
  finish(windowNo: number, actor: Actor, inTransaction?: (ticket: Ticket) => QueueEvent[] | undefined): Ticket {
    this.rolloverIfDue();
    return this.command(actor, 'window.finish', String(windowNo), () => {
      const cur = this.openWindowState(windowNo);
      const t = this.currentTicketOf(cur);
      if (!t) throw new QueueError('NO_CURRENT_TICKET', `${windowNo} 号窗口当前没有可办结的号`);
      const now = this.clock.now();
      const next = this.put({ ...t, status: 'done', startedAt: t.startedAt ?? t.calledAt ?? now, finishedAt: now });
      this.serveEstimate.delete(t.serviceCode);
      this.putWindow({ ...cur, state: 'idle', currentTicketId: null, updatedAt: now });
      this.emit({ type: 'ticket.changed', ticket: next });
      this.note({ number: t.number }, t.id);
      for (const e of inTransaction?.(next) ?? []) this.emit(e);
      return next;
    });
  }

  // ---------------------------------------------------------------- choosing the next ticket

  /**
   * Classes: appointments (when the policy says so) before everything; then priority vs normal by
   * the 1:N interleave (legs transferred to this window come before all of them); within a class,
   * the ageing guard, then the service whose oldest ticket has the largest weight × waiting time.
   */
  private choose(windowNo: number, win: WindowStatus): { ticket: Ticket; cls: TicketClass } | null {
    const wc = this.windowConfig(windowNo);
    const now = this.clock.now();
    const has = (cls: TicketClass) =>
      this.waiting.windowQueue(windowNo, cls).length > 0 ||
      wc.services.some((s) => this.waiting.serviceQueue(s.code, cls).length > 0);
    const order: TicketClass[] = [];
    if (this.config.priority.appointmentsFirst) order.push('appointment');
    const n = this.config.priority.normalPerPriority;
    const priorityTurn = wc.greenChannel || win.normalSincePriority >= n || !has('normal');
    order.push(...((priorityTurn ? ['priority', 'normal'] : ['normal', 'priority']) as TicketClass[]));
    // Legs transferred to this very window were already part-served: they go before everyone.
    for (const cls of order) {
      const targeted = this.waiting.windowQueue(windowNo, cls)[0];
      if (targeted) return { ticket: targeted, cls };
    }
    for (const cls of order) {
      let best: Ticket | null = null;
      let bestScore = -1;
      // Ageing guard first: among heads that waited past the limit, the oldest goes.
      const limitMs = (this.config.priority.agingLimitSeconds ?? DEFAULT_AGING_LIMIT_SECONDS) * 1000;
      for (const s of wc.services) {
        const head = this.waiting.serviceQueue(s.code, cls)[0];
        if (head && now - head.queueOrder >= limitMs && (!best || head.queueOrder < best.queueOrder)) best = head;
      }
      if (best) return { ticket: best, cls };
      for (const s of wc.services) {
        const head = this.waiting.serviceQueue(s.code, cls)[0];
        if (!head) continue;
        const score = s.weight * Math.max(0, now - head.queueOrder);
        if (score > bestScore || (score === bestScore && best && head.queueOrder < best.queueOrder)) {
          best = head;
          bestScore = score;
        }
      }
      if (best) return { ticket: best, cls };
    }
    return null;
  }

  private callTicket(win: WindowStatus, t: Ticket, cls: TicketClass): Ticket {
    const now = this.clock.now();
    const prev = this.currentTicketOf(win);
    // Calling the next one while the last called citizen never came means that one was a no-show.
    if (prev && prev.status === 'called') {
      const skipped = this.put({ ...prev, status: 'skipped', finishedAt: now });
      this.emit({ type: 'ticket.changed', ticket: skipped });
    }
    const staffNo = win.staffNo;
    const called = this.put({
      ...t,
      status: 'called',
      windowNo: win.no,
      staffNo,
      calledAt: now,
      finishedAt: null,
    });
    const n = this.config.priority.normalPerPriority;
    const since =
      cls === 'priority' ? 0 : cls === 'normal' ? Math.min(win.normalSincePriority + 1, n) : win.normalSincePriority;
    this.putWindow({
      ...win,
      state: 'calling',
      currentTicketId: called.id,
      normalSincePriority: since,
      updatedAt: now,
    });
    this.emit({
      type: 'ticket.called',
      ticket: called,
      windowNo: win.no,
      announcement: this.announcementFor(called, win.no),
    });
    this.note(
      { number: called.number, class: cls, skippedPrevious: prev?.status === 'called' ? prev.number : null },
      called.id,
    );
    return called;
  }

  private backToQueue(t: Ticket, position: 'front' | 'back'): Ticket {
    const now = this.clock.now();
    const front = this.waiting.frontOrder(t.serviceCode);
    const next = this.put({
      ...t,
      status: 'waiting',
      windowNo: null,
      staffNo: null,
      calledAt: null,
      startedAt: null,
      finishedAt: null,
      queueOrder: position === 'front' ? Math.min(front ?? now, now) - 1 : this.backOrder(now),
    });
    this.emit({ type: 'ticket.changed', ticket: next });
    return next;
  }

  // ---------------------------------------------------------------- helpers

  /**
   * An appointment ticket's class is what its service's `appointment.priority` says (default
   * `first`, called before everyone when the hall's policy puts appointments first).
   */
  private classOf(t: Ticket): TicketClass {
    if (t.channel === 'appointment' || t.appointmentId) {
      const place = this.config.services.find((s) => s.code === t.serviceCode)?.appointment?.priority ?? 'first';
      if (place === 'first' && this.config.priority.appointmentsFirst) return 'appointment';
      if (place === 'priority') return 'priority';
    }
    return t.priority ? 'priority' : 'normal';
  }

  private isCandidate(t: Ticket, windowNo: number): boolean {
    if (t.targetWindowNo !== null) return t.targetWindowNo === windowNo;
    return this.windowConfig(windowNo).services.some((s) => s.code === t.serviceCode);
  }

  private backOrder(now: number): number {
    this.lastBackOrder = Math.max(now, this.lastBackOrder + 0.001);
    return this.lastBackOrder;
  }

  private isOpen(service: QueueServiceConfig, now: number): boolean {
    const periods: OpeningPeriod[] = service.hours ?? this.config.hall.openingHours;
    const { weekday, minutes } = localTimeOfDay(now, this.config.hall.timeZone);
    return periods.some(
      (p) => p.days.includes(weekday) && minutes >= parseTimeOfDay(p.open) && minutes < parseTimeOfDay(p.close),
    );
  }

  private estimateSeconds(serviceCode: string, ahead: number): number {
    if (ahead <= 0) return 0;
    let mean = this.serveEstimate.get(serviceCode);
    if (mean === undefined) {
      const recent = this.repo
        .recentFinished(serviceCode, RECENT_FOR_ESTIMATE)
        .map((t) => (t.finishedAt ?? 0) - (t.startedAt ?? t.calledAt ?? t.finishedAt ?? 0))
        .filter((ms) => ms > 0);
      const fallback = (this.config.services.find((s) => s.code === serviceCode)?.defaultServiceSeconds ?? 300) * 1000;
      mean = recent.length ? recent.reduce((a, b) => a + b, 0) / recent.length : fallback;
      this.serveEstimate.set(serviceCode, mean);
    }
    const open = this.config.windows.filter((w) => {
      const st = this.currentWindow(w.no).state;
      return st !== 'closed' && st !== 'paused' && w.services.some((s) => s.code === serviceCode);
    }).length;
    return Math.round((ahead * mean) / 1000 / Math.max(1, open));
  }

  private view(t: Ticket): TicketView {
    const ahead = t.status === 'waiting' ? this.waiting.ahead(t) : 0;
    return {
      ticket: t,
      ahead,
      estimatedWaitSeconds: t.status === 'waiting' ? this.estimateSeconds(t.serviceCode, ahead) : 0,
    };
  }

  private windowConfig(windowNo: number): WindowConfig {
    const w = this.config.windows.find((x) => x.no === windowNo);
    if (!w) throw new QueueError('UNKNOWN_WINDOW', `窗口 ${windowNo} 不存在`, 'windowNo');
    return w;
  }

  private currentWindow(windowNo: number): WindowStatus {
    return (
      this.pending?.windows.get(windowNo) ??
      this.windowState.get(windowNo) ?? {
        no: windowNo,
        state: 'closed',
        staffNo: null,
        currentTicketId: null,
        pauseReason: null,
        normalSincePriority: this.config.priority.normalPerPriority,
        updatedAt: 0,
      }
    );
  }

  private openWindowState(windowNo: number): WindowStatus {
    this.windowConfig(windowNo);
    const cur = this.currentWindow(windowNo);
    if (cur.state === 'closed') throw new QueueError('WINDOW_CLOSED', `${windowNo} 号窗口未登录开窗`);
    return cur;
  }

  /** Open, not paused, not in the middle of serving someone. */
  private readyWindow(windowNo: number): WindowStatus {
    const cur = this.openWindowState(windowNo);
    if (cur.state === 'paused')
      throw new QueueError('WINDOW_PAUSED', `${windowNo} 号窗口暂停中：${cur.pauseReason ?? ''}`);
    if (cur.state === 'serving') throw new QueueError('WINDOW_BUSY', `${windowNo} 号窗口正在办理，请先办结或转移`);
    return cur;
  }

  private currentTicketOf(win: WindowStatus): Ticket | null {
    if (!win.currentTicketId) return null;
    return this.pending?.tickets.get(win.currentTicketId) ?? this.active.get(win.currentTicketId) ?? null;
  }

  private activeTicket(id: string): Ticket {
    const t = this.pending?.tickets.get(id) ?? this.active.get(id) ?? this.repo.getTicket(id);
    if (!t) throw new QueueError('UNKNOWN_TICKET', `票号不存在：${id}`, 'ticketId');
    return t;
  }

  private put(t: Ticket, isNew = false): Ticket {
    if (isNew) this.pending!.inserted.add(t.id);
    this.pending!.tickets.set(t.id, t);
    this.pending!.touchedServices.add(t.serviceCode);
    return t;
  }

  private putWindow(w: WindowStatus): WindowStatus {
    this.pending!.windows.set(w.no, w);
    return w;
  }

  private emit(e: QueueEvent): void {
    this.pending!.events.push(e);
  }

  private note(detail: Record<string, unknown>, subject?: string): void {
    const p = this.pending!;
    const last = p.audit[p.audit.length - 1];
    if (last) {
      last.detail = { ...(last.detail ?? {}), ...detail };
      if (subject) last.subject = subject;
    }
  }

  /**
   * Runs one command atomically. A QueueError refuses it: nothing changes, and the refusal itself is
   * audited in a transaction of its own.
   */
  private command<T>(actor: Actor, action: string, subject: string | null, fn: () => T): T {
    if (this.pending) return fn(); // nested (rollover inside a command): same unit of work
    const p: Pending = {
      tickets: new Map(),
      inserted: new Set(),
      windows: new Map(),
      events: [],
      audit: [{ action, subject, detail: null }],
      touchedServices: new Set(),
    };
    this.pending = p;
    let result: T;
    const stored: StoredEvent[] = [];
    try {
      result = this.repo.transaction(() => {
        const r = fn();
        for (const t of p.tickets.values()) {
          if (p.inserted.has(t.id)) this.repo.insertTicket(t);
          else this.repo.updateTicket(t);
        }
        for (const w of p.windows.values()) this.repo.saveWindow(w);
        const at = this.clock.now();
        for (const a of p.audit) {
          this.repo.appendAudit({ at, actor, action: a.action, subject: a.subject, result: 'ok', detail: a.detail });
        }
        // queue.changed and window.changed follow from what the command touched.
        for (const code of p.touchedServices) {
          p.events.push({ type: 'queue.changed', serviceCode: code, waiting: this.waitingAfter(code, p) });
        }
        for (const w of p.windows.values()) p.events.push({ type: 'window.changed', window: w });
        for (const e of p.events) stored.push({ seq: this.repo.appendEvent(at, e), at, event: e });
        return r;
      });
    } catch (err) {
      this.pending = null;
      this.pendingDay = null;
      if (err instanceof QueueError) {
        const at = this.clock.now();
        this.repo.transaction(() =>
          this.repo.appendAudit({
            at,
            actor,
            action,
            subject,
            result: 'refused',
            detail: { code: err.code, message: err.message },
          }),
        );
      }
      throw err;
    }
    this.pending = null;
    if (this.pendingDay) this.storedDay = this.pendingDay;
    this.pendingDay = null;
    for (const t of p.tickets.values()) this.applyTicket(t);
    for (const w of p.windows.values()) this.windowState.set(w.no, w);
    if (stored.length) for (const l of this.listeners) l(stored);
    return result;
  }

  /** Waiting count of a service as it will be once the pending changes are applied. */
  private waitingAfter(code: string, p: Pending): number {
    let n = this.waiting.waitingCount(code);
    for (const t of p.tickets.values()) {
      const before = this.active.get(t.id);
      if (before?.status === 'waiting' && before.serviceCode === code) n--;
      if (t.status === 'waiting' && t.serviceCode === code) n++;
    }
    return n;
  }

  private applyTicket(t: Ticket): void {
    const before = this.active.get(t.id);
    if (before?.status === 'waiting') this.waiting.remove(before);
    if (t.status === 'waiting' || t.status === 'called' || t.status === 'serving') this.active.set(t.id, t);
    else this.active.delete(t.id);
    if (t.status === 'waiting') this.waiting.add(t);
  }

  private rebuildIndex(): void {
    this.waiting.clear();
    for (const t of this.active.values()) {
      if (t.status === 'waiting') this.waiting.add(t);
      if (t.queueOrder > this.lastBackOrder && t.queueOrder < Number.MAX_SAFE_INTEGER)
        this.lastBackOrder = t.queueOrder;
    }
  }
}
