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
  const send = (body: string) =>
    new Promise<number>((resolve, reject) => {
      const req = request(
        { agent, hostname: u.hostname, port: u.port, path: u.pathname, method: 'POST', headers: { authorization: `Bearer ${o.token}`, 'content-type': o.contentType, 'content-length': Buffer.byteLength(body) } },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
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
        status = await send(item.body);
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
  return { requests, events, seconds, eventsPerSecond: events / seconds, latencies, failures };
}

/** Nearest-rank percentile of ascending values. */
export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
