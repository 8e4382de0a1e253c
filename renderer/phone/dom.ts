/** A few lines of DOM building instead of a framework: the phone pages must paint fast on 3G. */

type Child = Node | string | null | undefined | false;
type Attrs = Record<string, string | number | boolean | ((e: Event) => void) | undefined>;

export function h(tag: string, attrs: Attrs = {}, ...children: Child[]): HTMLElement {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (typeof v === 'function') el.addEventListener(k.replace(/^on/, '').toLowerCase(), v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
}

/** Replaces what `main` shows. */
export function show(...nodes: Child[]): void {
  const main = document.getElementById('main');
  if (!main) return;
  main.replaceChildren(...(nodes.filter(Boolean) as (Node | string)[]));
}

export interface Answer<T> {
  status: number;
  body: T | { code: string; message: string } | null;
  retryAfter: number | null;
}

/** A JSON call to the hub that served the page; a network failure is status 0. */
export async function api<T>(method: string, path: string, body?: unknown): Promise<Answer<T>> {
  try {
    const res = await fetch(`/api/v1${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      cache: 'no-store',
    });
    const text = await res.text();
    const retry = Number(res.headers.get('retry-after'));
    return {
      status: res.status,
      body: text ? (JSON.parse(text) as T) : null,
      retryAfter: Number.isFinite(retry) && retry > 0 ? retry : null,
    };
  } catch {
    return { status: 0, body: null, retryAfter: null };
  }
}

export const isError = (b: unknown): b is { code: string; message: string } =>
  typeof b === 'object' && b !== null && 'code' in b && 'message' in b;
