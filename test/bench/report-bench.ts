import { startServer } from '../helpers/server.ts';
import { SEED, serverEnv, storeDir } from './bench-config.ts';
import { peakRss, runChild } from './children.ts';
import { percentile } from './http-load.ts';
import { MONTH, YEAR } from './calendar.ts';
import { buildMunicipality } from './municipality.ts';
import { REPORTS, reportQuery, type ReportName, type Span } from './report-cases.ts';

export interface ReportTiming {
  report: ReportName;
  span: Span;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  rows: number;
}

export interface ReportResults {
  timings: ReportTiming[];
  /** The first report after the service started: read live, and what starts the cache build. */
  firstMs: number;
  /** Until the cache built in the background answered: the first probe that took half the first request's time or less. */
  cacheReadyMs: number;
  /** Class usage of every class and product (no filter), p50 of 5 runs per span. */
  wholeMunicipality: { month: number; year: number };
  /**
   * After the service is stopped and started again on the same store (the cache built, the
   * inputs unchanged): until it listened, and its first report (the same year probe).
   */
  restart: { startMs: number; firstMs: number; slowestFirstMs: number };
  servicePeakRssBytes: number;
  runs: number;
}

/**
 * Every report over a month and over the school year, through HTTP on the service running on
 * the loaded store, as a dashboard asks for it: one request at a time, `runs` times with
 * varied filters after one unmeasured request. Measured once the service has built its
 * resolution cache (packages/reports/src/resolution.ts), which it starts on the first report
 * after a start, a roster import or a mapping change; the first report's time is printed too.
 */
export async function reportBench(scale: number, runs: number, log: (s: string) => void): Promise<ReportResults> {
  const m = buildMunicipality(SEED, scale);
  await runChild('test/bench/drop-cache.ts', [storeDir(scale)]);
  let s = await startServer({ dataDir: storeDir(scale), keepData: true, env: serverEnv() });
  const restart = { startMs: 0, firstMs: 0, slowestFirstMs: 0 };
  const timings: ReportTiming[] = [];
  let rss = 0;
  let firstMs = 0;
  let cacheReadyMs = 0;
  const whole = { month: 0, year: 0 };
  try {
    const get = async (path: string) => {
      const t = performance.now();
      const res = await fetch(`${s.url}${path}`, { headers: { authorization: `Bearer ${s.adminToken}` } });
      const body = (await res.json()) as { rows?: unknown[] };
      if (res.status !== 200) throw new Error(`${path}: HTTP ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
      return { ms: performance.now() - t, rows: body.rows?.length ?? 0 };
    };
    const probe = `/v1/reports/licences?${reportQuery('licences', 'year', 0, m)}`;
    const t0 = performance.now();
    // Read live, the first report can fail (a year at scale 5 holds more than the engine's
    // memory cap for one query): then it counts as failed (-1) and the probes wait for the cache.
    const tryGet = (path: string) => get(path).catch((e: Error) => (log(`reports: ${e.message.slice(0, 200)}`), { ms: -1, rows: 0 }));
    firstMs = Math.round((await tryGet(probe)).ms);
    // The build runs on a connection of its own while probes read live: a probe at half the
    // first time or less means it is done (at most a minute per scale unit).
    for (;;) {
      await new Promise((res) => setTimeout(res, 1000));
      const r = await tryGet(probe);
      if ((r.ms >= 0 && (firstMs < 0 || r.ms < firstMs / 2)) || performance.now() - t0 > 60_000 * Math.max(1, scale)) break;
    }
    cacheReadyMs = Math.round(performance.now() - t0);
    // Ingest fills its duplicate filter from event_keys after a start, at half duty: timed runs
    // begin once it is done, as they begin once the cache is built.
    for (;;) {
      const h = (await (await fetch(`${s.url}/v1/health`, { headers: { authorization: `Bearer ${s.adminToken}` } })).json()) as { keyFilter?: { ready: boolean; filling: boolean; keys: number } };
      if (!h.keyFilter || (h.keyFilter.ready && !h.keyFilter.filling)) {
        log(`reports: key filter of ${h.keyFilter?.keys ?? 0} keys ready after ${Math.round((performance.now() - t0) / 1000)} s`);
        break;
      }
      await new Promise((res) => setTimeout(res, 1000));
    }
    log(`reports: first report ${firstMs} ms (read live); cache ready after ${cacheReadyMs} ms`);
    for (const span of ['month', 'year'] as Span[]) {
      for (const report of REPORTS) {
        await get(`/v1/reports/${report}?${reportQuery(report, span, 0, m)}`);
        const ms: number[] = [];
        let rows = 0;
        for (let i = 0; i < runs; i++) {
          const r = await get(`/v1/reports/${report}?${reportQuery(report, span, i, m)}`);
          ms.push(r.ms);
          if (i === 0) rows = r.rows;
        }
        ms.sort((a, b) => a - b);
        const t: ReportTiming = { report, span, p50Ms: Math.round(percentile(ms, 50)), p95Ms: Math.round(percentile(ms, 95)), maxMs: Math.round(ms.at(-1)!), rows };
        log(`reports: ${report} ${span}: p50 ${t.p50Ms} ms, p95 ${t.p95Ms} ms`);
        timings.push(t);
      }
      const all: number[] = [];
      const w = span === 'month' ? MONTH : YEAR;
      for (let i = 0; i < 5; i++) all.push((await get(`/v1/reports/class-usage?from=${w.from}&to=${w.to}`)).ms);
      whole[span] = Math.round(percentile(all.sort((a, b) => a - b), 50));
    }
    rss = peakRss(s.child.pid);
    // A restart with nothing changed: the cache built above is still the inputs' own.
    await s.stop();
    const t1 = performance.now();
    s = await startServer({ dataDir: storeDir(scale), keepData: true, env: serverEnv() });
    restart.startMs = Math.round(performance.now() - t1);
    restart.firstMs = Math.round((await get(probe)).ms);
    log(`reports: after a restart (listening in ${restart.startMs} ms) the first report took ${restart.firstMs} ms`);
    // The other reports' first answers after the restart, each once, in both spans.
    for (const span of ['year', 'month'] as Span[]) {
      for (const report of REPORTS) restart.slowestFirstMs = Math.max(restart.slowestFirstMs, Math.round((await get(`/v1/reports/${report}?${reportQuery(report, span, 1, m)}`)).ms));
    }
    log(`reports: after the restart the slowest first answer of a report took ${restart.slowestFirstMs} ms`);
    rss = Math.max(rss, peakRss(s.child.pid));
  } finally {
    await s.stop();
  }
  return { timings, firstMs, cacheReadyMs, wholeMunicipality: whole, restart, servicePeakRssBytes: rss, runs };
}
