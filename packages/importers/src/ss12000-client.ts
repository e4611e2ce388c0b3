import type { Ss12000Import } from './ss12000-types.ts';

/**
 * A client for a live SS12000 (2.x) API: fetch organisations, persons, groups and duties,
 * every page, and return them as the SS12000 import object. Read-only, no state kept
 * between runs: the roster import makes each fetch a snapshot.
 */

export type Ss12000Resource = keyof Ss12000Import;

export type Ss12000Auth =
  /** A bearer token obtained elsewhere (e.g. through Skolfederation's FedTLS). */
  | { token: string }
  /** OAuth2 client credentials against the register's token endpoint. */
  | {
      tokenUrl: string;
      clientId: string;
      clientSecret: string;
      scope?: string;
      /** `basic` (default, RFC 6749 §2.3.1) sends the secret in the Authorization header; `post` in the form body. */
      method?: 'basic' | 'post';
    };

export interface Ss12000Progress {
  resource: Ss12000Resource;
  page: number;
  /** Objects of this resource so far. */
  fetched: number;
  /** The resource is complete. */
  done: boolean;
}

export interface Ss12000ClientOptions {
  /** API root, e.g. `https://sis.example.se/ss12000/v2.0` (the resources hang below it). */
  baseUrl: string;
  auth?: Ss12000Auth;
  /** Page size sent as `limit`. Without it servers return "as many as possible", which can time out. */
  limit?: number;
  /** Which resources, in order. Default all four. */
  resources?: Ss12000Resource[];
  onProgress?: (p: Ss12000Progress) => void;
  /** Per request. Default 60 s. */
  timeoutMs?: number;
  /** Retries of one request on 429, 502, 503, 504 or a network error. Default 3. */
  retries?: number;
  /** First backoff; doubles per retry, and a Retry-After header wins. Default 500 ms. */
  retryDelayMs?: number;
  /** Guard against a server that never stops paging. Default 100 000. */
  maxPages?: number;
  fetch?: typeof fetch;
}

export class Ss12000Error extends Error {
  constructor(
    message: string,
    readonly status?: number,
    /** The API's own error code, e.g. `403_not_authorised`. */
    readonly code?: string,
    readonly url?: string,
  ) {
    super(message);
    this.name = 'Ss12000Error';
  }
}

const RETRY_STATUS = new Set([429, 502, 503, 504]);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

class TokenSource {
  private token?: string;
  private expires = 0;

  constructor(private readonly auth: Ss12000Auth | undefined, private readonly http: typeof fetch, private readonly timeoutMs: number) {}

  async header(forceRefresh = false): Promise<string | undefined> {
    if (!this.auth) return undefined;
    if ('token' in this.auth) return `Bearer ${this.auth.token}`;
    if (forceRefresh || !this.token || Date.now() >= this.expires) await this.fetchToken(this.auth);
    return `Bearer ${this.token}`;
  }

  /** Whether a 401 can be cured by a new token (a static token cannot be renewed). */
  get renewable(): boolean {
    return !!this.auth && !('token' in this.auth);
  }

  private async fetchToken(a: Exclude<Ss12000Auth, { token: string }>): Promise<void> {
    const body = new URLSearchParams({ grant_type: 'client_credentials' });
    if (a.scope) body.set('scope', a.scope);
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
    if ((a.method ?? 'basic') === 'basic') {
      const enc = (s: string) => encodeURIComponent(s).replace(/%20/g, '+');
      headers.authorization = `Basic ${Buffer.from(`${enc(a.clientId)}:${enc(a.clientSecret)}`).toString('base64')}`;
    } else {
      body.set('client_id', a.clientId);
      body.set('client_secret', a.clientSecret);
    }
    let res: Response;
    try {
      res = await this.http(a.tokenUrl, { method: 'POST', headers, body, signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (e) {
      throw new Ss12000Error(`token endpoint unreachable: ${(e as Error).message}`, undefined, undefined, a.tokenUrl);
    }
    const json = (await res.json().catch(() => ({}))) as { access_token?: string; expires_in?: number; error?: string; error_description?: string };
    if (!res.ok || !json.access_token) {
      // Never echo the secret; the server's error code is what the operator needs.
      throw new Ss12000Error(`token request refused (${res.status}${json.error ? ` ${json.error}` : ''}${json.error_description ? `: ${json.error_description}` : ''})`, res.status, json.error, a.tokenUrl);
    }
    this.token = json.access_token;
    // Renew a minute early so a long paging run never sends an expired token.
    this.expires = Date.now() + Math.max(0, (json.expires_in ?? 300) - 60) * 1000;
  }
}

function pageUrl(base: string, resource: Ss12000Resource, limit: number | undefined, pageToken?: string): string {
  const u = new URL(`${base.replace(/\/+$/, '')}/${resource}`);
  // The spec: pageToken "cannot be combined with other filters, but may be with limit".
  if (limit) u.searchParams.set('limit', String(limit));
  if (pageToken) u.searchParams.set('pageToken', pageToken);
  return u.toString();
}

async function getPage(url: string, tokens: TokenSource, opts: Required<Pick<Ss12000ClientOptions, 'timeoutMs' | 'retries' | 'retryDelayMs'>>, http: typeof fetch) {
  let renewed = false;
  for (let attempt = 0; ; attempt++) {
    const auth = await tokens.header();
    let res: Response;
    try {
      res = await http(url, { headers: { accept: 'application/json', ...(auth ? { authorization: auth } : {}) }, signal: AbortSignal.timeout(opts.timeoutMs) });
    } catch (e) {
      if (attempt < opts.retries) { await sleep(opts.retryDelayMs * 2 ** attempt); continue; }
      throw new Ss12000Error(`SS12000 API unreachable: ${(e as Error).message}`, undefined, undefined, url);
    }
    if (res.status === 401 && tokens.renewable && !renewed) {
      renewed = true;
      await tokens.header(true);
      attempt--;
      continue;
    }
    if (RETRY_STATUS.has(res.status) && attempt < opts.retries) {
      const after = Number(res.headers.get('retry-after'));
      await res.body?.cancel();
      await sleep(Number.isFinite(after) && after > 0 ? Math.min(after, 30) * 1000 : opts.retryDelayMs * 2 ** attempt);
      continue;
    }
    const text = await res.text();
    let json: unknown;
    try { json = JSON.parse(text); } catch { json = undefined; }
    if (!res.ok) {
      const err = (json ?? {}) as { code?: string; message?: string };
      throw new Ss12000Error(`SS12000 API answered ${res.status}${err.code ? ` ${err.code}` : ''}${err.message ? `: ${err.message}` : ''}`, res.status, err.code, url);
    }
    const page = json as { data?: unknown; pageToken?: unknown } | undefined;
    if (!page || !Array.isArray(page.data)) throw new Ss12000Error('unexpected response: no "data" array', res.status, undefined, url);
    return page as { data: Record<string, unknown>[]; pageToken?: string | null };
  }
}

/** Fetch every page of the chosen resources; `pageToken` absent or null both end a resource. */
export async function fetchSs12000(opts: Ss12000ClientOptions): Promise<Ss12000Import> {
  const http = opts.fetch ?? fetch;
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const tokens = new TokenSource(opts.auth, http, timeoutMs);
  const req = { timeoutMs, retries: opts.retries ?? 3, retryDelayMs: opts.retryDelayMs ?? 500 };
  const limit = opts.limit ?? 500;
  const maxPages = opts.maxPages ?? 100_000;
  const out: Ss12000Import = { organisations: [], persons: [], groups: [], duties: [] };
  for (const resource of opts.resources ?? (['organisations', 'persons', 'groups', 'duties'] as const)) {
    const list = out[resource] as Record<string, unknown>[];
    const seenTokens = new Set<string>();
    let token: string | undefined;
    for (let page = 1; ; page++) {
      if (page > maxPages) throw new Ss12000Error(`${resource}: more than ${maxPages} pages; stopping`);
      const url = pageUrl(opts.baseUrl, resource, limit, token);
      const body = await getPage(url, tokens, req, http);
      for (const item of body.data) list.push(item);
      const next = typeof body.pageToken === 'string' && body.pageToken !== '' ? body.pageToken : undefined;
      opts.onProgress?.({ resource, page, fetched: list.length, done: !next });
      if (!next) break;
      if (seenTokens.has(next)) throw new Ss12000Error(`${resource}: the server returned pageToken "${next.slice(0, 40)}" twice; stopping instead of looping`, undefined, undefined, url);
      seenTokens.add(next);
      token = next;
    }
  }
  return out;
}
