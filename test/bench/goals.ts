import type { IngestResults } from './ingest-bench.ts';
import type { ReportResults } from './report-bench.ts';
import { mb, pct } from './table.ts';

interface Stored {
  tables: { table: string; bytes: number }[];
}

/**
 * The goals of issue 16, point 1, each with what this run measured and ok or miss. A goal whose
 * stage did not run (`--only`) is left out. Nothing here fails the run: the benchmark prints.
 */
export function goals(r: { ingest?: IngestResults; reports?: ReportResults; storage?: Stored; events?: number }): string[][] {
  const out: string[][] = [];
  const row = (goal: string, measured: string, bound: string, ok: boolean) => out.push([goal, measured, bound, ok ? 'ok' : 'miss']);
  if (r.reports) {
    for (const span of ['month', 'year'] as const) {
      const worst = r.reports.timings.filter((t) => t.span === span).sort((a, b) => b.p95Ms - a.p95Ms)[0];
      const bound = span === 'month' ? 200 : 1000;
      if (worst) row(`every report's p95, ${span} (slowest: ${worst.report})`, `${worst.p95Ms} ms`, `< ${bound} ms`, worst.p95Ms < bound);
    }
    row('class usage unfiltered, year (p50 of 5)', `${r.reports.wholeMunicipality.year} ms`, '< 1,000 ms', r.reports.wholeMunicipality.year < 1000);
    row('first report after a restart', `${r.reports.restart.firstMs} ms`, '< 1,000 ms', r.reports.restart.firstMs < 1000);
    row('  slowest first answer of any report after it', `${r.reports.restart.slowestFirstMs} ms`, '< 1,000 ms', r.reports.restart.slowestFirstMs < 1000);
  }
  const rss = Math.max(r.ingest?.servicePeakRssBytes ?? 0, r.reports?.servicePeakRssBytes ?? 0);
  if (rss) row('service RSS high-water mark (ingest, cache build, reports)', mb(rss), '< 1,536 MB', rss < 1.5 * 1024 ** 3);
  if (r.storage && r.events) {
    const total = r.storage.tables.reduce((a, t) => a + t.bytes, 0);
    const per = total / (r.events / 1e6);
    row('disk per million events (every table)', mb(per), '<= 50 MB', per <= 50 * 1024 ** 2);
  }
  if (r.ingest) {
    const single = r.ingest.single.service.eventsPerSecond / r.ingest.single.bare.eventsPerSecond;
    row('single events: service / bare Hono handler', pct(single), '>= 50 %', single >= 0.5);
    const nd = r.ingest.ndjson.service.eventsPerSecond / r.ingest.ndjson.engine.eventsPerSecond;
    row(`NDJSON: service / the engine's ${r.ingest.ndjson.engineBatch.toLocaleString('en-US')}-row inserts (b)`, pct(nd), '>= 60 %', nd >= 0.6);
  }
  return out;
}
