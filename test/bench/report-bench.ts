import { startServer } from '../helpers/server.ts';
import { SEED, serverEnv, storeDir } from './bench-config.ts';
import { peakRss } from './children.ts';
import { percentile } from './http-load.ts';
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
  servicePeakRssBytes: number;
  runs: number;
}

/**
 * Every report over a month and over the school year, through HTTP on the service running on
 * the loaded store, as a dashboard asks for it: one request at a time, `runs` times with
 * varied filters after one unmeasured request (the first read of a table after a start
 * loads its marks).
 */
export async function reportBench(scale: number, runs: number, log: (s: string) => void): Promise<ReportResults> {
  const m = buildMunicipality(SEED, scale);
  const s = await startServer({ dataDir: storeDir(scale), keepData: true, env: serverEnv() });
  const timings: ReportTiming[] = [];
  let rss = 0;
  try {
    const get = async (path: string) => {
      const t = performance.now();
      const res = await fetch(`${s.url}${path}`, { headers: { authorization: `Bearer ${s.adminToken}` } });
      const body = (await res.json()) as { rows?: unknown[] };
      if (res.status !== 200) throw new Error(`${path}: HTTP ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
      return { ms: performance.now() - t, rows: body.rows?.length ?? 0 };
    };
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
    }
    rss = peakRss(s.child.pid);
  } finally {
    await s.stop();
  }
  return { timings, servicePeakRssBytes: rss, runs };
}
