import type { Prng } from './prng.ts';

/** A usage event as clients send it. */
export interface Ev {
  id?: string;
  type: 'login' | 'launch';
  time: string;
  user: string;
  product: string;
  source?: string;
}

export type Mode = 'array' | 'ndjson' | 'single';

const RECENT = Math.floor(Date.now() / 86_400_000) * 86_400_000 - 86_400_000;

/** Identifiers of each event the test keeps: every event is unique by id or, without one, by content. */
export const evKey = (e: Ev) => e.id ?? `source:${e.source}`;

/**
 * Events unique across a whole test run: `prefix` names the client and round, `seq` counts.
 * One in five has no id, so the content key is exercised too (its time makes it unique).
 */
export function makeEvents(rnd: Prng, prefix: string, seq: number, n: number): Ev[] {
  const out: Ev[] = [];
  for (let i = 0; i < n; i++) {
    const k = seq + i;
    // Within the last 60 days: older raw events would fall to the retention TTL (13 months) and
    // the store inspection would miss them.
    const ms = RECENT - rnd.int(60 * 24 * 3600) * 1000 + (k % 1000);
    const e: Ev = {
      type: rnd.chance(0.5) ? 'login' : 'launch',
      time: new Date(ms).toISOString().replace('Z', '+00:00'),
      user: `user-${rnd.int(2000)}@skola.example.se`,
      product: `https://sp${rnd.int(12)}.example.com/shibboleth`,
    };
    if (rnd.chance(0.8)) e.id = `${prefix}-${k}`;
    else e.source = `${prefix}-${k}`; // content key: unique by source
    out.push(e);
  }
  return out;
}

export function body(events: Ev[], mode: Mode): { text: string; contentType: string } {
  if (mode === 'ndjson') return { text: events.map((e) => JSON.stringify(e)).join('\n'), contentType: 'application/x-ndjson' };
  if (mode === 'single') return { text: JSON.stringify(events[0]), contentType: 'application/json' };
  return { text: JSON.stringify(events), contentType: 'application/json' };
}

export interface Answer {
  status: number;
  json: any;
  headers: Headers;
}

export async function post(url: string, token: string, path: string, text: string | Buffer, contentType: string): Promise<Answer> {
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': contentType },
    body: typeof text === 'string' ? text : new Uint8Array(text),
  });
  const raw = await res.text();
  let json: any;
  try {
    json = raw ? JSON.parse(raw) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, json, headers: res.headers };
}

/**
 * What the clients of a test learned. `acked`: answered 202 (must be stored exactly once).
 * `unsure`: sent without a 202 (connection lost, or refused): may or may not be stored, never twice.
 */
export class Ledger {
  readonly acked = new Map<string, Ev>();
  readonly unsure = new Map<string, Ev>();
  readonly statuses = new Map<number, number>();
  retryAfterSeen: string[] = [];
  spooled = 0;

  count(status: number): void {
    this.statuses.set(status, (this.statuses.get(status) ?? 0) + 1);
  }

  ack(events: Ev[]): void {
    for (const e of events) {
      this.unsure.delete(evKey(e));
      this.acked.set(evKey(e), e);
    }
  }

  doubt(events: Ev[]): void {
    for (const e of events) if (!this.acked.has(evKey(e))) this.unsure.set(evKey(e), e);
  }

  /** Every event ever sent: after the unsure ones are resent, exactly these are stored. */
  get all(): number {
    return this.acked.size + this.unsure.size;
  }
}

export interface ClientOptions {
  url: string;
  token: string;
  clients: number;
  /** Events per request: 1 to this. */
  maxBatch: number;
  /** Clients stop sending once this resolves. */
  until: Promise<unknown>;
  prefix: string;
  /** Modes to pick from. */
  modes?: Mode[];
  /**
   * A client answered 503 `shutting_down` stops, as one honouring its Retry-After would (a load
   * balancer sends it elsewhere); otherwise it backs off briefly and sends again.
   */
  stopOnShutdown?: boolean;
}

/** Why a request got no HTTP answer: the code of undici's cause (ECONNREFUSED, ECONNRESET, UND_ERR_SOCKET…). */
export function transportError(e: unknown): string {
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? String(e);
}

/**
 * Clients sending events concurrently until `until` or until the service goes away. A 202 must
 * count every event of the request (accepted + duplicates); anything but 202, 429 and 503 is a
 * failure of the test.
 */
export async function runClients(rnd: Prng, ledger: Ledger, o: ClientOptions): Promise<{ requests: number; unexpected: string[]; transport: string[] }> {
  let stop = false;
  void o.until.then(() => (stop = true));
  const unexpected: string[] = [];
  // One entry per client that ended on a request without an answer.
  const transport: string[] = [];
  let requests = 0;
  const client = async (c: number) => {
    let seq = 0;
    while (!stop) {
      const mode = rnd.pick(o.modes ?? (['array', 'ndjson', 'single'] as Mode[]));
      const n = mode === 'single' ? 1 : rnd.between(1, o.maxBatch);
      const events = makeEvents(rnd, `${o.prefix}-c${c}`, seq, n);
      seq += n;
      const { text, contentType } = body(events, mode);
      ledger.doubt(events);
      let a: Answer;
      try {
        a = await post(o.url, o.token, '/v1/events', text, contentType);
      } catch (e) {
        transport.push(transportError(e));
        return; // the service is gone: these events stay unsure
      }
      requests++;
      ledger.count(a.status);
      if (a.status === 202) {
        if (a.json.accepted + a.json.duplicates !== n || a.json.rejected.length !== 0) {
          unexpected.push(`202 that does not count its ${n} events: ${JSON.stringify(a.json).slice(0, 200)}`);
        }
        ledger.spooled += a.json.spooled ?? 0;
        ledger.ack(events);
      } else if (a.status === 429 || a.status === 503) {
        const ra = a.headers.get('retry-after');
        if (!ra || !/^\d+$/.test(ra)) unexpected.push(`${a.status} without a Retry-After in seconds`);
        else ledger.retryAfterSeen.push(ra);
        if (!a.json?.error?.code) unexpected.push(`${a.status} without the error shape`);
        if (o.stopOnShutdown && a.json?.error?.code === 'shutting_down') return;
        // Back off briefly, as a well-behaved client would, but not for the full Retry-After: the
        // test wants pressure.
        await new Promise((r) => setTimeout(r, 20 + rnd.int(50)));
      } else {
        unexpected.push(`status ${a.status}: ${JSON.stringify(a.json).slice(0, 300)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: o.clients }, (_, c) => client(c)));
  return { requests, unexpected, transport };
}

/** Sends events in NDJSON batches and sums the answers; any non-202 fails. */
export async function resend(url: string, token: string, events: Ev[], batch = 2000): Promise<{ accepted: number; duplicates: number }> {
  let accepted = 0;
  let duplicates = 0;
  for (let i = 0; i < events.length; i += batch) {
    const part = events.slice(i, i + batch);
    const { text, contentType } = body(part, 'ndjson');
    let a: Answer | undefined;
    for (let attempt = 0; attempt < 20; attempt++) {
      a = await post(url, token, '/v1/events', text, contentType);
      if (a.status !== 429) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    if (a!.status !== 202) throw new Error(`resend answered ${a!.status}: ${JSON.stringify(a!.json).slice(0, 300)}`);
    accepted += a!.json.accepted;
    duplicates += a!.json.duplicates;
  }
  return { accepted, duplicates };
}

/** Events stored, through the API: the unmapped report over all time sums every event (no product is registered in these tests). */
export async function storedCount(url: string, adminToken: string): Promise<number> {
  const res = await fetch(`${url}/v1/reports/unmapped?from=2000-01-01&to=2099-12-31`, { headers: { authorization: `Bearer ${adminToken}` } });
  if (res.status !== 200) throw new Error(`unmapped report answered ${res.status}: ${await res.text()}`);
  const j = (await res.json()) as { rows: { events: number }[] };
  return j.rows.reduce((a, r) => a + r.events, 0);
}

/** `/v1/health` with its details, which need the admin (or metrics) token. */
export async function health(s: { url: string; adminToken: string }): Promise<{ status: number; json: any }> {
  const res = await fetch(`${s.url}/v1/health`, { headers: { authorization: `Bearer ${s.adminToken}` } });
  return { status: res.status, json: await res.json() };
}

export async function waitFor<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v) return v;
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * Resolves once `ms` have passed, the ledger has at least `acks` more acknowledged events than
 * now and `also` holds (robust on a loaded machine), or after `giveUpMs` whatever holds, so that
 * the test's own expectation says what was missing.
 */
export function afterTimeAndAcks(ledger: Ledger, ms: number, acks = 1, also: () => boolean = () => true, giveUpMs = 60_000): Promise<void> {
  const target = ledger.acked.size + acks;
  const t0 = Date.now();
  return new Promise((r) => {
    const t = setInterval(() => {
      const elapsed = Date.now() - t0;
      if ((elapsed >= ms && ledger.acked.size >= target && also()) || elapsed >= giveUpMs) {
        clearInterval(t);
        r();
      }
    }, 20);
  });
}
