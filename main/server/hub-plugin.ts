/**
 * Extension point of the hub server. Every group of routes — the core contract's as much as the
 * features beside it (platform sync, devices, the pad WebSocket, admin, the role UIs) — installs
 * itself through this one context, in a module named `<feature>-plugin.ts` exporting
 * `<feature>Plugin()`, so each feature keeps its code and tests in one place and the server itself
 * stays plumbing.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { RouteSpec } from '../../common/api/route-spec.js';
import type { DeviceRole } from '../../common/roles.js';
import type { QueueEngine } from '../queue/engine.js';
import type { AuditEntry, QueueRepository, StoredEvent } from '../queue/repository.js';
import type { Actor, QueueEvent } from '../queue/types.js';
import type { CaseRepository, EvaluationRecord } from '../store/case-repository.js';
import type { TicketCodeStore } from '../store/ticket-codes.js';
import type { DeviceToken, TokenStore } from '../store/tokens.js';
import type { Clock } from '../time/clock.js';
import type { Caller } from './auth.js';
import type { CardReads } from './card-reads.js';
import type { CaseFinishHooks } from './case-finish-hooks.js';
import type { DefineRoute } from './define-route.js';

export type { AdminCaller, Caller, DeviceCaller, StaffCaller } from './auth.js';

export interface HubContext {
  /** Binds a handler to a route description of `common/api` (access, validation, answer). */
  defineRoute: DefineRoute;
  /** Names a route served outside the router (a WebSocket upgrade) in the OpenAPI document. */
  listRoute(spec: RouteSpec): void;
  engine: QueueEngine;
  repo: QueueRepository & { transaction<T>(fn: () => T): T };
  tokens: TokenStore;
  cases: CaseRepository;
  /** The codes phones follow tickets with (hub-api.md v1.1): issue one with each `201` ticket. */
  ticketCodes: TicketCodeStore;
  clock: Clock;
  version: string;
  /** The hall's time zone (may change when the config is reloaded). */
  timeZone(): string;
  /** The caller of a request or null; `queryToken` is for WebSocket upgrades (`?token=`). */
  authenticate(req: IncomingMessage, queryToken?: string | null): Caller | null;
  /** A token sent inside a socket's protocol, as the device token of `role` (see HubAuth.deviceTokenFor). */
  deviceTokenFor(token: string, role: DeviceRole, address: string | null): DeviceToken | null;
  /** Caller or 401/429. */
  requireCaller(req: IncomingMessage): Caller;
  /** Counts a citizen's request against the per-address limit of the public side (429 beyond). */
  takePublic(req: IncomingMessage): void;
  /** Caller with one of `roles` (or a staff session when `allowStaff`), else 403. */
  requireRole(req: IncomingMessage, roles: readonly DeviceRole[], allowStaff: boolean): Caller;
  actorOf(c: Caller): Actor;
  /**
   * Watches a token a WebSocket was opened with: `close` is called (once) when it is revoked,
   * signed out or expired — within a second. Returns the function that stops watching (call it
   * when the socket closes).
   */
  watchCredential(bearer: string, close: () => void): () => void;
  /** A token or session was just revoked in this process: close its sockets now, not at the next check. */
  credentialsChanged(): void;
  /** ID cards the hub's own readers read, by read id (the device bridge issues, the case lookup checks). */
  cardReads: CardReads;
  /** Runs a core command, mapping queue and case errors to API errors. */
  run<T>(fn: () => T): T;
  /** Persists one event in its own transaction and sends it to every WebSocket client. */
  emit(event: QueueEvent): StoredEvent;
  /** Sends already persisted events (after their transaction committed). */
  publish(stored: StoredEvent[]): void;
  /**
   * Every event sent to clients, after it is sent — engine events and those of `emit`/`publish`
   * alike (e.g. `evaluation.recorded` from any rating channel). Returns the unsubscribe function.
   */
  onPublished(listener: (stored: StoredEvent[]) => void): () => void;
  /** Sends a message that is not a stored event to the live-event sockets of one paired terminal. */
  sendToTerminal(terminalId: string, msg: Record<string, unknown>): number;
  /**
   * Closes every socket of a paired terminal (its token was revoked): its live-event sockets, and
   * those of the plugins that listen with `onTerminalClosed` (device bridge, pads).
   */
  closeTerminal(terminalId: string): void;
  onTerminalClosed(listener: (terminalId: string) => void): () => void;
  /** Hooks run inside the 办结 transaction, after the case is recorded (see case-finish-hooks.ts). */
  caseFinish: CaseFinishHooks;
  /**
   * Work done inside the transaction of every rating, whatever its channel (POST /evaluations, pads,
   * keypads, QR codes) — e.g. opening a 差评整改 item; the events it returns are stored in that same
   * transaction. Returns the function that removes the hook.
   */
  onRating(hook: RatingHook): () => void;
  /** Runs the rating hooks; the evaluation recorder calls it inside the rating's transaction. */
  ratingRecorded(rec: EvaluationRecord, at: number): QueueEvent[];
  /** Appends one audit row in its own transaction. */
  audit(entry: Omit<AuditEntry, 'at'>): void;
  log(level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>): void;
}

/** See HubContext.onRating. A hook that throws undoes the rating (it is one transaction). */
export type RatingHook = (rec: EvaluationRecord, at: number) => QueueEvent[];

export interface HubPluginHooks {
  /** A WebSocket upgrade for a path the core does not serve; return true when handled. */
  upgrade?(req: IncomingMessage, socket: Duplex, head: Buffer, url: URL): boolean;
  /** A request for a path outside `/api/` (static UI files); return true when answered. */
  request?(req: IncomingMessage, res: ServerResponse, url: URL): boolean | Promise<boolean>;
  /**
   * The same, on the public side (the guest Wi-Fi listener): only the citizens' pages answer here
   * (see phone-plugin.ts); a plugin without this hook serves nothing there.
   */
  publicRequest?(req: IncomingMessage, res: ServerResponse, url: URL): boolean | Promise<boolean>;
  close?(): void | Promise<void>;
}

export interface HubPlugin {
  name: string;
  install(ctx: HubContext): HubPluginHooks | undefined;
}
