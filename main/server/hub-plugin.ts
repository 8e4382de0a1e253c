/**
 * Extension point of the hub server. Features that live beside the core API (platform sync status,
 * device health, the pad WebSocket, the role UIs) install themselves through this one context
 * instead of growing hub-server.ts, so each feature stays in its own module and its own tests.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { DeviceRole } from '../../common/roles.js';
import type { QueueEngine } from '../queue/engine.js';
import type { QueueRepository, StoredEvent } from '../queue/repository.js';
import type { Actor, QueueEvent } from '../queue/types.js';
import type { CaseRepository } from '../store/case-repository.js';
import type { DeviceToken, StaffSession, TokenStore } from '../store/tokens.js';
import type { Clock } from '../time/clock.js';
import type { Router } from './http-kit.js';

export type Caller =
  | { kind: 'device'; token: DeviceToken; key: string }
  | { kind: 'staff'; session: StaffSession; token: string; key: string };

export interface HubContext {
  router: Router;
  engine: QueueEngine;
  repo: QueueRepository & { transaction<T>(fn: () => T): T };
  tokens: TokenStore;
  cases: CaseRepository;
  clock: Clock;
  version: string;
  /** The hall's time zone (may change when the config is reloaded). */
  timeZone(): string;
  /** The caller of a request or null; `queryToken` is for WebSocket upgrades (`?token=`). */
  authenticate(req: IncomingMessage, queryToken?: string | null): Caller | null;
  /** Caller or 401/429. */
  requireCaller(req: IncomingMessage): Caller;
  /** Caller with one of `roles` (or a staff session when `allowStaff`), else 403. */
  requireRole(req: IncomingMessage, roles: DeviceRole[], allowStaff: boolean): Caller;
  actorOf(c: Caller): Actor;
  /** Maps queue and case errors to API errors. */
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
  log(level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>): void;
}

export interface HubPluginHooks {
  /** A WebSocket upgrade for a path the core does not serve; return true when handled. */
  upgrade?(req: IncomingMessage, socket: Duplex, head: Buffer, url: URL): boolean;
  /** A request for a path outside `/api/` (static UI files); return true when answered. */
  request?(req: IncomingMessage, res: ServerResponse, url: URL): boolean | Promise<boolean>;
  close?(): void | Promise<void>;
}

export interface HubPlugin {
  name: string;
  install(ctx: HubContext): HubPluginHooks | undefined;
}
