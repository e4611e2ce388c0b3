import { startServer } from '../helpers/server.ts';
import { SEED, serverEnv } from './bench-config.ts';
import { peakRss } from './children.ts';
import { MONTH } from './calendar.ts';
import { percentile } from './http-load.ts';
import { buildMunicipality } from './municipality.ts';
import { regionDir } from './region-config.ts';
import { REPORTS, reportQuery, type ReportName } from './report-cases.ts';

export interface RegionResults {
  organisers: number;
  /** Every report over a month for the first organiser, with the other organisers in the same process. */
  reports: { report: ReportName; p50Ms: number; p95Ms: number }[];
  peers: {
    /** The first comparison after the start: every organiser's figures computed (each store read live). */
    firstMs: number;
    /** Nothing written since the last answer: each organiser's figures from the cache. */
    unchanged: { p50Ms: number; p95Ms: number };
    /** An event stored at the organiser itself before each request: its own figures computed again. */
    afterOwnEvent: { p50Ms: number; p95Ms: number };
    products: number;
    withPeers: number;
  };
  /** From the first comparison until the first organiser's overview answered steadily (the organisers' cache builds done). */
  settledMs: number;
  servicePeakRssBytes: number;
  runs: number;
}

const stats = (ms: number[]) => {
  const s = [...ms].sort((a, b) => a - b);
  return { p50Ms: Math.round(percentile(s, 50)), p95Ms: Math.round(percentile(s, 95)) };
};

/**
 * A region of `n` organisers of one scale each in one service (region-load.ts): the month of
 * every report for the first organiser, and its peer comparison (figure 26) over the same month,
 * which reads every organiser's figures. Measured as report-bench.ts does, one request at a time.
 */
export async function regionBench(scale: number, n: number, runs: number, log: (s: string) => void): Promise<RegionResults> {
  const m = buildMunicipality(SEED, scale);
  const s = await startServer({ dataDir: regionDir(scale, n), keepData: true, env: serverEnv() });
  try {
    const get = async (path: string) => {
      const t = performance.now();
      const res = await fetch(`${s.url}${path}`, { headers: { authorization: `Bearer ${s.adminToken}` } });
      const body = (await res.json()) as { rows?: Record<string, { peers?: number | null }>[] };
      if (res.status !== 200) throw new Error(`${path}: HTTP ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
      return { ms: performance.now() - t, body };
    };
    const peersPath = `/v1/peers?from=${MONTH.from}&to=${MONTH.to}`;
    const first = await get(peersPath);
    log(`region: first peer comparison over ${n} organisers ${Math.round(first.ms)} ms`);
    // The first comparison starts every organiser's resolution cache build in the background
    // (packages/reports/src/resolution.ts): until they are done, each report competes with ten
    // builds, and the comparison itself is served from cached figures long before. Timed runs
    // start once the first organiser's overview answers three times in a row within a fifth of
    // each other (the builds no longer compete with it), or after 15 minutes.
    const tb = performance.now();
    const overview = `/v1/reports/overview?${reportQuery('overview', 'month', 0, m)}`;
    const recent: number[] = [];
    for (;;) {
      await new Promise((r) => setTimeout(r, 3000));
      recent.push((await get(overview)).ms);
      const last = recent.slice(-3);
      if ((last.length === 3 && Math.max(...last) < 1.2 * Math.min(...last)) || performance.now() - tb > 15 * 60_000) break;
    }
    const settledMs = Math.round(performance.now() - tb);
    log(`region: the organisers' caches settled after ${(settledMs / 1000).toFixed(0)} s`);
    const probe = `/v1/reports/licences?${reportQuery('licences', 'month', 0, m)}`;
    const t0 = performance.now();
    const live = (await get(probe)).ms;
    for (;;) {
      await new Promise((r) => setTimeout(r, 1000));
      const ms = (await get(probe)).ms;
      if (ms < live / 2 || performance.now() - t0 > 120_000 * Math.max(1, scale)) break;
    }
    const reports: RegionResults['reports'] = [];
    for (const report of REPORTS) {
      await get(`/v1/reports/${report}?${reportQuery(report, 'month', 0, m)}`);
      const ms: number[] = [];
      for (let i = 0; i < runs; i++) ms.push((await get(`/v1/reports/${report}?${reportQuery(report, 'month', i, m)}`)).ms);
      reports.push({ report, ...stats(ms) });
      log(`region: ${report} month p95 ${reports.at(-1)!.p95Ms} ms`);
    }
    await get(peersPath);
    const unchanged: number[] = [];
    let last = first.body;
    for (let i = 0; i < runs; i++) {
      const r = await get(peersPath);
      unchanged.push(r.ms);
      last = r.body;
    }
    const afterOwn: number[] = [];
    for (let i = 0; i < runs; i++) {
      const ev = { id: `region-bench-${Date.now()}-${i}`, type: 'login', time: `${MONTH.to}T10:00:00+02:00`, user: m.pupils[i].eppn, product: m.products[0].identifiers[0] };
      const res = await fetch(`${s.url}/v1/events`, { method: 'POST', headers: { authorization: `Bearer ${s.ingestToken}`, 'content-type': 'application/json' }, body: JSON.stringify(ev) });
      if (res.status !== 202) throw new Error(`event: HTTP ${res.status} ${await res.text()}`);
      afterOwn.push((await get(peersPath)).ms);
    }
    const rows = last.rows ?? [];
    const peers = {
      firstMs: Math.round(first.ms), unchanged: stats(unchanged), afterOwnEvent: stats(afterOwn),
      products: rows.length, withPeers: rows.filter((r) => ['adoption', 'costPerActiveUser', 'pricePerSeat'].some((f) => (r[f]?.peers ?? 0) > 0)).length,
    };
    log(`region: peers unchanged p95 ${peers.unchanged.p95Ms} ms, after an own event p95 ${peers.afterOwnEvent.p95Ms} ms`);
    return { organisers: n, reports, peers, settledMs, servicePeakRssBytes: peakRss(s.child.pid), runs };
  } finally {
    await s.stop();
  }
}
