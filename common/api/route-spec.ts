/**
 * One description per hub route — method, path, who may call it, body, query and answer as zod
 * schemas — shared by the hub (which binds a handler to it with `defineRoute`), the OpenAPI
 * document (generated from the bound routes) and the UIs' `HubClient` (whose calls are typed by
 * it). A route therefore cannot be documented, validated and called three different ways.
 */
import type { z } from 'zod';
import type { DeviceRole } from '../roles.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/**
 * Who may call: a citizen's phone, no token, rate limited per address and served on the public
 * side too (`public`: the short allow-list of the guest Wi-Fi, see docs/phone.md); no token but
 * only on the staff network (`open`: health, sign-ins, pairing, the pad endpoint); a device token
 * of one of `roles`, or a staff session when `staff` (`roles`); the staff session signed in at the
 * window named by `{no}` in the path (`window`); a paired terminal's own token (`terminal`).
 */
export type Access =
  | { readonly kind: 'public' }
  | { readonly kind: 'open' }
  | { readonly kind: 'roles'; readonly roles: readonly DeviceRole[]; readonly staff: boolean }
  | { readonly kind: 'window' }
  | { readonly kind: 'terminal' };

type RolesAccess = Extract<Access, { kind: 'roles' }>;

/** A citizen's route: no token, per-address limit, under `/public/`, served on the public listener. */
export const PUBLIC = { kind: 'public' } as const satisfies Access;
/** No token, staff network only. */
export const NO_TOKEN = { kind: 'open' } as const satisfies Access;
/** Whether a route needs no token at all (either kind). */
export const tokenless = (a: Access): boolean => a.kind === 'public' || a.kind === 'open';
export const WINDOW_STAFF = { kind: 'window' } as const satisfies Access;
export const TERMINAL = { kind: 'terminal' } as const satisfies Access;
export const roles = (rs: readonly DeviceRole[], staff = false): RolesAccess => ({ kind: 'roles', roles: rs, staff });
/** Any device token or staff session. */
export const ANY_CALLER = roles(['kiosk', 'counter', 'display', 'evaluator', 'admin'], true);
export const ADMIN = roles(['admin']);

/**
 * `json`: JSON in and out (answer `undefined` → 204); `text`: the handler writes its own answer
 * (a CSV, an audio clip); `binary`: the handler writes a file's bytes, whole or one `Range` of them
 * (206); `websocket`: an upgrade served beside the router, listed for the docs.
 */
export type RouteKind = 'json' | 'text' | 'binary' | 'websocket';

/**
 * A request body of raw bytes instead of JSON (a scanned material): the media types accepted and
 * the size limit, which replaces the 64 KiB of JSON bodies for this route only.
 */
export interface BinaryBody {
  readonly types: readonly string[];
  readonly maxBytes: number;
  /** The Chinese message of the 413 answer (what to do about a file too large). */
  readonly tooLarge: string;
}

/** What the handler of a binary route receives: the bytes and their declared type (one of `types`). */
export interface BinaryUpload {
  readonly bytes: Uint8Array;
  readonly contentType: string;
}

export interface RouteSpec {
  readonly method: HttpMethod;
  /** Under `/api/v1`, with `{name}` for path parameters. */
  readonly path: `/${string}`;
  readonly summary: string;
  readonly access: Access;
  readonly kind?: RouteKind;
  readonly body?: z.ZodType;
  /** A body of raw bytes (then `body` is absent); see `BinaryBody`. */
  readonly binary?: BinaryBody;
  readonly query?: z.ZodType;
  readonly response?: z.ZodType;
  /** Status of a successful answer; default 200 (201 for creations, 204 when there is no body). */
  readonly status?: 200 | 201 | 204;
  /** Error statuses the route answers besides 401/403/429 (documented in OpenAPI). */
  readonly errors?: readonly number[];
  /** Media types a `text` route answers with (default `text/csv`; e.g. `application/pdf`), for the OpenAPI document. */
  readonly produces?: readonly string[];
}

/** Keeps the literal types of a route description (for typed handlers and clients). */
export const route = <const S extends RouteSpec>(spec: S): S => spec;

type ParamNames<P extends string> = P extends `${string}{${infer K}}${infer Rest}` ? K | ParamNames<Rest> : never;
export type PathParams<S extends RouteSpec> = { [K in ParamNames<S['path']>]: string };

type Out<T> = T extends z.ZodType ? z.output<T> : undefined;
type In<T> = T extends z.ZodType ? z.input<T> : undefined;
/** What a handler receives after validation. */
export type BodyOf<S extends RouteSpec> = S['binary'] extends BinaryBody ? BinaryUpload : Out<S['body']>;
export type QueryOf<S extends RouteSpec> = Out<S['query']>;
/** What a client sends. */
export type BodyIn<S extends RouteSpec> = S['binary'] extends BinaryBody ? Blob : In<S['body']>;
export type QueryIn<S extends RouteSpec> = In<S['query']>;
/** What the hub answers (`undefined` for 204). */
export type AnswerOf<S extends RouteSpec> = S['response'] extends z.ZodType ? z.output<S['response']> : undefined;

/** `/windows/{no}/call` + `{ no: 3 }` → `/windows/3/call` (each value URL-encoded). */
export function fillPath(path: string, params: Record<string, string | number>): string {
  return path.replace(/\{(\w+)\}/g, (_, k: string) => {
    const v = params[k];
    if (v === undefined) throw new Error(`缺少路径参数 ${k}`);
    return encodeURIComponent(String(v));
  });
}
