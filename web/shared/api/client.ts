import { ApiError, type FieldError } from './api-error';

export type Query = Record<string, string | number | boolean | null | undefined>;

export type RequestOptions = {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  query?: Query;
  body?: unknown;
  /** A file sent as the raw request body (an import upload) instead of JSON, with its media type. */
  file?: { data: Blob; contentType: string };
  /** `blob`: the answer as a file (a CSV of rejected rows) instead of JSON. */
  as?: 'json' | 'blob';
  /** Sent as `Idempotency-Key`, so a double click or a retry never moves value twice. */
  idempotencyKey?: string;
  signal?: AbortSignal;
};

type Credentials = { apiKey: string | null; csrfToken: string | null };

/**
 * One client per app (console or portal). The session lives in an httpOnly cookie the browser
 * sends by itself; writes with that cookie must echo the CSRF token. An API key (Bearer) is the
 * console's other way in, kept for the tab only (sessionStorage).
 */
export type ApiClient = {
  request<T>(path: string, opts?: RequestOptions): Promise<T>;
  setApiKey(key: string | null): void;
  setCsrfToken(token: string | null): void;
  hasApiKey(): boolean;
  onUnauthenticated(fn: () => void): void;
};

export function toQueryString(query: Query | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const s = params.toString();
  return s ? `?${s}` : '';
}

export function newIdempotencyKey(): string {
  return typeof crypto.randomUUID === 'function' ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

export function createApiClient(opts: { base?: string; storageKey?: string } = {}): ApiClient {
  const base = opts.base ?? '/api/v1';
  const storageKey = opts.storageKey;
  const creds: Credentials = { apiKey: storageKey ? sessionStorage.getItem(storageKey) : null, csrfToken: null };
  const unauthenticated = new Set<() => void>();

  async function request<T>(path: string, o: RequestOptions = {}): Promise<T> {
    const method = o.method ?? 'GET';
    const headers: Record<string, string> = { accept: 'application/json' };
    if (o.body !== undefined) headers['content-type'] = 'application/json';
    if (o.file) headers['content-type'] = o.file.contentType;
    if (o.as === 'blob') headers.accept = '*/*';
    if (creds.apiKey) headers.authorization = `Bearer ${creds.apiKey}`;
    if (method !== 'GET' && creds.csrfToken) headers['x-csrf-token'] = creds.csrfToken;
    if (o.idempotencyKey) headers['idempotency-key'] = o.idempotencyKey;
    let res: Response;
    try {
      res = await fetch(`${base}${path}${toQueryString(o.query)}`, {
        method,
        headers,
        body: o.file ? o.file.data : o.body === undefined ? undefined : JSON.stringify(o.body),
        credentials: 'same-origin',
        signal: o.signal,
      });
    } catch (err) {
      if (err instanceof DOMException && err.name === 'AbortError') throw err;
      throw new ApiError(0, 'NETWORK', err instanceof Error ? err.message : String(err));
    }
    if (res.status === 204) return undefined as T;
    if (res.ok && o.as === 'blob') return (await res.blob()) as T;
    const text = await res.text();
    const data: unknown = text ? safeJson(text) : undefined;
    if (!res.ok) {
      const p = (data ?? {}) as { code?: string; detail?: string; errors?: FieldError[]; requestId?: string };
      if (res.status === 401) unauthenticated.forEach((fn) => fn());
      throw new ApiError(res.status, p.code ?? `HTTP_${res.status}`, p.detail, Array.isArray(p.errors) ? p.errors : [], p.requestId);
    }
    return data as T;
  }

  return {
    request,
    setApiKey(key) {
      creds.apiKey = key;
      if (storageKey) {
        if (key) sessionStorage.setItem(storageKey, key);
        else sessionStorage.removeItem(storageKey);
      }
    },
    setCsrfToken(token) {
      creds.csrfToken = token;
    },
    hasApiKey: () => creds.apiKey !== null,
    onUnauthenticated(fn) {
      unauthenticated.add(fn);
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { detail: text };
  }
}
