import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer } from '../helpers/server.ts';
import { BENCH_DIR, ROOT, SEED, serverEnv } from './bench-config.ts';
import { peakRss, runChild } from './children.ts';
import { cpuOf, perEvent, type CpuPerEvent } from './cpu.ts';
import { percentile, runLoad, type LoadResult } from './http-load.ts';
import { buildMunicipality } from './municipality.ts';
import { toInput } from './stored.ts';
import { eventDays, planUsage } from './usage.ts';

export interface Rate {
  events: number;
  seconds: number;
  eventsPerSecond: number;
  p50Ms?: number;
  p99Ms?: number;
  failures?: Record<string, number>;
  /** Requests refused with Retry-After and sent again. */
  retried?: number;
  /** Seconds from the first request until every accepted event was stored (journal empty). */
  storedSeconds?: number;
  /** Accepted events over `storedSeconds`: the rate through to storage. */
  storedPerSecond?: number;
}

export interface IngestResults {
  single: { bare: Rate; service: Rate; clients: number; cpu?: { bare: CpuPerEvent; service: CpuPerEvent } };
  ndjson: { service: Rate; engine: Rate; engineBatch: number; engineBy1000: Rate; clients: number; batch: number };
  servicePeakRssBytes: number;
}

const summary = (r: LoadResult): Rate => ({
  events: r.events, seconds: Number(r.seconds.toFixed(2)), eventsPerSecond: Math.round(r.eventsPerSecond),
  p50Ms: Number(percentile(r.latencies, 50).toFixed(1)), p99Ms: Number(percentile(r.latencies, 99).toFixed(1)),
  ...(Object.keys(r.failures).length ? { failures: r.failures } : {}),
  ...(r.retried ? { retried: r.retried } : {}),
});

/** Waits until the service has stored everything it accepted; the seconds since `t0`. */
async function storedAfter(s: { url: string; adminToken: string }, t0: number): Promise<number> {
  for (;;) {
    // The queue and the spool are health details: they need an admin token.
    const h = await (await fetch(`${s.url}/v1/health`, { headers: { authorization: `Bearer ${s.adminToken}` } })).json() as { queueDepth: number; spool: { rows: number } };
    if (h.queueDepth === 0 && h.spool.rows === 0) return (performance.now() - t0) / 1000;
    await new Promise((r) => setTimeout(r, 20));
  }
}

const withStored = (rate: Rate, seconds: number): Rate => ({
  ...rate, storedSeconds: Number(seconds.toFixed(2)), storedPerSecond: Math.round(rate.events / seconds),
});

/** The first `n` events of the benchmark year, as API events (JSON text), all distinct. */
function sampleEvents(scale: number, n: number): string[] {
  const m = buildMunicipality(SEED, scale);
  const usage = planUsage(m, SEED, scale);
  const out: string[] = [];
  for (const events of eventDays(usage, SEED)) {
    for (const e of events) {
      out.push(JSON.stringify(toInput(e, usage.days)));
      if (out.length === n) return out;
    }
  }
  return out;
}

function startBare(): Promise<{ url: string; stop: () => void; pid?: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test/bench/bare-server.ts')], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => {
      const m = /listens on (http:\/\/localhost:\d+)/.exec(String(d));
      if (m) resolve({ url: m[1], stop: () => child.kill('SIGTERM'), pid: child.pid });
    });
    child.on('exit', (code) => reject(new Error(`bare server exited with ${code}`)));
  });
}

const iterate = (bodies: string[], per = 1, contentJoin = '\n') => {
  let i = 0;
  return () => {
    if (i >= bodies.length) return undefined;
    const chunk = bodies.slice(i, i + per);
    i += per;
    return { body: chunk.join(contentJoin), events: chunk.length };
  };
};

/**
 * HTTP ingest on a fresh service (single JSON events from 50 clients, then NDJSON batches of
 * 1,000 from 4 clients) beside a bare Hono handler and the engine's own insert rate of the
 * same rows, all in this run. Every request is a distinct event, so nothing is a duplicate.
 */
export async function ingestBench(scale: number, log: (s: string) => void): Promise<IngestResults> {
  const clients = 50;
  const seconds = scale >= 0.5 ? 20 : 8;
  const warm = 3_000;
  const singleN = 400_000;
  const ndN = Math.round(500_000 * Math.min(1, Math.max(scale, 0.2)));
  log(`ingest: generating ${2 * warm + singleN + ndN} sample events`);
  // Small scales have too few events for the sample; its content does not matter to ingest.
  const sample = sampleEvents(Math.max(scale, 0.1), warm * 2 + singleN + ndN);
  const warmBare = sample.slice(0, warm);
  const warmService = sample.slice(warm, 2 * warm);
  const single = sample.slice(2 * warm, 2 * warm + singleN);
  const nd = sample.slice(2 * warm + singleN);

  log(`ingest: bare Hono handler, single events, ${clients} clients, ${seconds} s`);
  const bare = await startBare();
  await runLoad({ url: `${bare.url}/v1/events`, token: 'x', contentType: 'application/json', concurrency: clients, next: iterate(warmBare), maxSeconds: 30, expectStatus: 202 });
  let cpu0 = cpuOf(bare.pid);
  let client0 = process.cpuUsage();
  const bareRun = await runLoad({ url: `${bare.url}/v1/events`, token: 'x', contentType: 'application/json', concurrency: clients, next: iterate(single), maxSeconds: seconds, expectStatus: 202 });
  const bareCpu = perEvent(cpu0, cpuOf(bare.pid), process.cpuUsage(client0), bareRun.events);
  bare.stop();

  log(`ingest: the service, single events, ${clients} clients, ${seconds} s`);
  const s = await startServer({ env: serverEnv() });
  let serviceSingle: LoadResult;
  let serviceCpu: CpuPerEvent;
  let singleStored: number;
  let ndStored: number;
  let serviceNd: LoadResult;
  let rss: number;
  try {
    const url = `${s.url}/v1/events`;
    await runLoad({ url, token: s.ingestToken, contentType: 'application/json', concurrency: clients, next: iterate(warmService), maxSeconds: 30, expectStatus: 202 });
    await storedAfter(s, performance.now());
    let t = performance.now();
    cpu0 = cpuOf(s.child.pid);
    client0 = process.cpuUsage();
    serviceSingle = await runLoad({ url, token: s.ingestToken, contentType: 'application/json', concurrency: clients, next: iterate(single), maxSeconds: seconds, expectStatus: 202 });
    serviceCpu = perEvent(cpu0, cpuOf(s.child.pid), process.cpuUsage(client0), serviceSingle.events);
    singleStored = await storedAfter(s, t);
    log(`ingest: the service, NDJSON batches of 1,000, 4 clients, ${nd.length} events`);
    t = performance.now();
    serviceNd = await runLoad({ url, token: s.ingestToken, contentType: 'application/x-ndjson', concurrency: 4, next: iterate(nd, 1000), maxSeconds: 600, expectStatus: 202 });
    ndStored = await storedAfter(s, t);
    rss = peakRss(s.child.pid);
  } finally {
    await s.stop();
  }

  log('ingest: the engine inserting the same rows through @clickhouse/client');
  const file = join(BENCH_DIR, `ndjson-sample-${scale}.ndjson`);
  writeFileSync(file, `${nd.join('\n')}\n`);
  const engine = await runChild<{ rows: number; seconds: number; rowsPerSecond: number }>('test/bench/engine-insert.ts', [join(BENCH_DIR, 'engine-10000'), file, '10000']);
  const engine1k = await runChild<{ rows: number; seconds: number; rowsPerSecond: number }>('test/bench/engine-insert.ts', [join(BENCH_DIR, 'engine-1000'), file, '1000']);
  const rate = (e: { rows: number; seconds: number; rowsPerSecond: number }): Rate => ({ events: e.rows, seconds: Number(e.seconds.toFixed(2)), eventsPerSecond: Math.round(e.rowsPerSecond) });
  return {
    single: { bare: summary(bareRun), service: withStored(summary(serviceSingle), singleStored), clients, cpu: { bare: bareCpu, service: serviceCpu } },
    ndjson: { service: withStored(summary(serviceNd), ndStored), engine: rate(engine), engineBatch: 10_000, engineBy1000: rate(engine1k), clients: 4, batch: 1000 },
    servicePeakRssBytes: rss,
  };
}
