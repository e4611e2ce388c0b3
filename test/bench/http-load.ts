import { Agent, request } from 'node:http';

/**
 * A lean HTTP load generator: `concurrency` clients on keep-alive connections, each sending
 * its next body as soon as the previous answer arrived (closed loop, as real ingest clients
 * behave). Node's `fetch` costs several times more CPU per request than `node:http`, and
 * on a 2-core machine the client's CPU is taken from the server being measured.
 */
export interface LoadOptions {
  url: string;
  token: string;
  contentType: string;
  concurrency: number;
  /** Next request body with the number of events in it; undefined when there are no more. */
  next: () => { body: string; events: number } | undefined;
  /** Stop sending after this long even if bodies remain. */
  maxSeconds: number;
  /** Status every answer must have. */
  expectStatus: number;
}

export interface LoadResult {
  requests: number;
  events: number;
  seconds: number;
  eventsPerSecond: number;
  /** Milliseconds, sorted ascending. */
  latencies: number[];
  failures: Record<string, number>;
  /** Requests answered 429 or 503 with Retry-After, sent again after that wait (as a real client does). */
  retried: number;
}

export async function runLoad(o: LoadOptions): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: o.concurrency });
  const u = new URL(o.url);
  const latencies: number[] = [];
  const failures: Record<string, number> = {};
  let requests = 0;
  let events = 0;
  const t0 = performance.now();
  const deadline = t0 + o.maxSeconds * 1000;
  let retried = 0;
  const send = (body: string) =>
    new Promise<{ status: number; retryAfter?: number }>((resolve, reject) => {
      const req = request(
        { agent, hostname: u.hostname, port: u.port, path: u.pathname, method: 'POST', headers: { authorization: `Bearer ${o.token}`, 'content-type': o.contentType, 'content-length': Buffer.byteLength(body) } },
        (res) => {
          res.resume();
          const ra = Number(res.headers['retry-after']);
          res.on('end', () => resolve({ status: res.statusCode ?? 0, retryAfter: Number.isFinite(ra) ? ra : undefined }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  const worker = async () => {
    for (;;) {
      if (performance.now() > deadline) return;
      const item = o.next();
      if (!item) return;
      const t = performance.now();
      let status: number;
      try {
        let answer = await send(item.body);
        while ((answer.status === 429 || answer.status === 503) && answer.retryAfter !== undefined && performance.now() < deadline) {
          retried++;
          await new Promise((r) => setTimeout(r, answer.retryAfter! * 1000));
          answer = await send(item.body);
        }
        status = answer.status;
      } catch (e) {
        failures[(e as Error).message] = (failures[(e as Error).message] ?? 0) + 1;
        continue;
      }
      latencies.push(performance.now() - t);
      if (status === o.expectStatus) {
        requests++;
        events += item.events;
      } else failures[`HTTP ${status}`] = (failures[`HTTP ${status}`] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: o.concurrency }, worker));
  const seconds = (performance.now() - t0) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return { requests, events, seconds, eventsPerSecond: events / seconds, latencies, failures, retried };
}

/** Nearest-rank percentile of ascending values. */
export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
