import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { BENCH_DIR, loadedStore, storeDir, type LoadResult } from './bench-config.ts';
import { runChild } from './children.ts';
import { ingestBench, type IngestResults } from './ingest-bench.ts';
import { machine } from './machine.ts';
import { sizesAt } from './municipality.ts';
import { REPORTS } from './report-cases.ts';
import { reportBench, type ReportResults } from './report-bench.ts';
import { loadedRegion } from './region-config.ts';
import { regionBench, type RegionResults } from './region-bench.ts';
import { goals } from './goals.ts';
import { mb, pct, table } from './table.ts';

/**
 * `npm run bench [-- --scale 1] [--runs 20] [--only ingest|reports|region] [--organisers 10] [--reload]`
 *
 * Builds (or reuses, when generator, scale and rollup DDL are unchanged) the benchmark
 * municipality in `.bench-data/store-<scale>`, measures HTTP ingest against a bare handler and
 * the engine's own insert rate, every report over a month and a year through HTTP, and the
 * bytes on disk; prints one table and writes `.bench-data/results-<scale>.json`. `--only region`
 * builds (or reuses) a region of `--organisers` municipalities of that scale each in one store
 * and measures the first organiser's reports and its peer comparison beside the others.
 */
function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const scale = Number(arg('scale') ?? 1);
const runs = Number(arg('runs') ?? 20);
const only = arg('only');
const reload = process.argv.includes('--reload');
const organisers = Number(arg('organisers') ?? 10);
if (!(Number.isInteger(organisers) && organisers >= 4 && organisers <= 50)) throw new Error('--organisers must be a whole number, 4 to 50');
if (!(scale > 0 && scale <= 5)) throw new Error('--scale must be above 0 and at most 5');

const t0 = performance.now();
const log = (s: string) => process.stderr.write(`[${((performance.now() - t0) / 1000).toFixed(0).padStart(4)} s] ${s}\n`);
mkdirSync(BENCH_DIR, { recursive: true });
const host = machine();

let load = reload || only === 'region' ? undefined : loadedStore(scale);
let loadedNow = false;
let region: RegionResults | undefined;
let regionLoad = only === 'region' && !reload ? loadedRegion(scale, organisers) : undefined;
if (only === 'region') {
  if (!regionLoad) {
    log(`loading a region of ${organisers} municipalities at scale ${scale} each`);
    regionLoad = await runChild('test/bench/region-load.ts', [String(scale), String(organisers)]);
    log(`loaded ${regionLoad!.events} events in ${regionLoad!.seconds} s`);
  }
  region = await regionBench(scale, organisers, runs, log);
}
if (!load && only !== 'ingest' && only !== 'region') {
  log(`loading the municipality at scale ${scale} into ${storeDir(scale)}`);
  load = await runChild<LoadResult>('test/bench/load.ts', [String(scale)]);
  loadedNow = true;
  log(`loaded ${load.events} events in ${load.seconds.events.toFixed(0)} s`);
}

let ingest: IngestResults | undefined;
if (!only || only === 'ingest') ingest = await ingestBench(scale, log);
let reports: ReportResults | undefined;
let storage: { version: string; tables: { table: string; rows: number; bytes: number; parts: number }[] } | undefined;
if (!only || only === 'reports') {
  reports = await reportBench(scale, runs, log);
  storage = await runChild('test/bench/storage-stats.ts', [storeDir(scale)]);
}
host.load.push(Number(loadavg()[0].toFixed(1)));

if (region && regionLoad) {
  const r = region;
  const o = [`Region benchmark: ${r.organisers} municipalities of scale ${scale} each in one service, ${regionLoad.events.toLocaleString('en-US')} events in all ` +
    `(loaded in ${regionLoad.seconds} s); 1-min load average ${loadavg()[0].toFixed(1)}`, ''];
  o.push(table([`The first organiser's reports over a month (${r.runs} runs)`, 'p50 ms', 'p95 ms', '< 200 ms'],
    r.reports.map((x) => [x.report, x.p50Ms, x.p95Ms, x.p95Ms < 200 ? 'ok' : 'MISSED'])));
  o.push('', table([`Så gör andra over a month, ${r.peers.products} products, ${r.peers.withPeers} with peers`, 'p50 ms', 'p95 ms', '< 200 ms'], [
    ['nothing written since the last answer', r.peers.unchanged.p50Ms, r.peers.unchanged.p95Ms, r.peers.unchanged.p95Ms < 200 ? 'ok' : 'MISSED'],
    ['an event stored at the organiser before each request', r.peers.afterOwnEvent.p50Ms, r.peers.afterOwnEvent.p95Ms, r.peers.afterOwnEvent.p95Ms < 200 ? 'ok' : 'MISSED'],
  ]));
  o.push(`The first comparison after the start (every organiser's figures read live): ${r.peers.firstMs} ms; timed runs began ${(r.settledMs / 1000).toFixed(0)} s later, once the first organiser's overview answered steadily (the cache builds that comparison started were done). Peak memory of the service: ${mb(r.servicePeakRssBytes)}.`);
  o.push('', `Run took ${((performance.now() - t0) / 60_000).toFixed(1)} min. Reproduce: npm run bench -- --only region --scale ${scale} --organisers ${r.organisers}`);
  const text = o.join('\n');
  process.stdout.write(`${text}\n`);
  writeFileSync(join(BENCH_DIR, `region-${scale}x${r.organisers}.json`), JSON.stringify({ scale, host, regionLoad, region }, null, 2));
  process.exit(0);
}

const size = sizesAt(scale);
const out: string[] = [];
out.push(`Licenskoll benchmark, scale ${scale}: ${size.pupils.toLocaleString('en-US')} pupils, ${size.staff.toLocaleString('en-US')} staff, ${size.units} school units, ` +
  `${size.classes.toLocaleString('en-US')} classes, ${size.products} products, ${size.licences} licences` + (load ? `, ${load.events.toLocaleString('en-US')} events` : ''));
out.push(`Machine: ${host.cpu}, ${host.cores} cores, ${host.memoryGiB} GiB; Node ${host.node}, chdb ${host.chdb}${storage ? ` (ClickHouse ${storage.version})` : ''}, ` +
  `@clickhouse/client ${host.clickhouseClient}; 1-min load average ${host.load.join(' -> ')}`);
if (load) {
  out.push(`Store: ${loadedNow ? 'loaded in this run' : 'reused'}; ${load.events.toLocaleString('en-US')} events in ${load.seconds.events.toFixed(0)} s ` +
    `(${Math.round(load.events / load.seconds.events).toLocaleString('en-US')}/s${load.cpuSeconds ? `, ${load.cpuSeconds.toLocaleString('en-US')} s of CPU: ${((load.cpuSeconds * 1e6) / load.events).toFixed(1)} µs per event` : ''}, 100,000-row TSV inserts through the storage layer); usage_daily ${load.usageDailyRows.toLocaleString('en-US')} rows, usage_days ${load.usageDaysRows.toLocaleString('en-US')} rows`);
}
if (ingest) {
  const i = ingest;
  out.push('', table(['HTTP ingest', 'events/s', 'p50 ms', 'p99 ms', 'ratio', 'goal'], [
    [`bare Hono handler, single JSON events, ${i.single.clients} clients`, i.single.bare.eventsPerSecond, i.single.bare.p50Ms ?? '', i.single.bare.p99Ms ?? '', '', ''],
    [`service, single JSON events, ${i.single.clients} clients`, i.single.service.eventsPerSecond, i.single.service.p50Ms ?? '', i.single.service.p99Ms ?? '',
      pct(i.single.service.eventsPerSecond / i.single.bare.eventsPerSecond), '>= 50 %'],
    ['engine inserting the same rows, 1,000 rows/insert (a)', i.ndjson.engineBy1000.eventsPerSecond, '', '', '', ''],
    [`engine inserting the same rows, ${i.ndjson.engineBatch.toLocaleString('en-US')} rows/insert (b)`, i.ndjson.engine.eventsPerSecond, '', '', '', ''],
    [`service, NDJSON ${i.ndjson.batch.toLocaleString('en-US')}/request, ${i.ndjson.clients} clients`, i.ndjson.service.eventsPerSecond, i.ndjson.service.p50Ms ?? '', i.ndjson.service.p99Ms ?? '',
      `${pct(i.ndjson.service.eventsPerSecond / i.ndjson.engineBy1000.eventsPerSecond)} of (a), ${pct(i.ndjson.service.eventsPerSecond / i.ndjson.engine.eventsPerSecond)} of (b)`, '>= 60 %'],
    ...(i.single.service.storedPerSecond ? [[`  the same, until every accepted event was stored (${i.single.service.storedSeconds} s)`, i.single.service.storedPerSecond, '', '', pct(i.single.service.storedPerSecond / i.single.bare.eventsPerSecond), '']] : []),
    ...(i.ndjson.service.storedPerSecond ? [[`  NDJSON until every accepted event was stored (${i.ndjson.service.storedSeconds} s)`, i.ndjson.service.storedPerSecond, '', '', `${pct(i.ndjson.service.storedPerSecond / i.ndjson.engineBy1000.eventsPerSecond)} of (a), ${pct(i.ndjson.service.storedPerSecond / i.ndjson.engine.eventsPerSecond)} of (b)`, '']] : []),
  ]));
  const c = i.single.cpu;
  if (c) {
    // What limits the single-event rate: both servers and the load generator share the machine's cores.
    const f = ([u, sy]: [number, number]) => `${u.toFixed(0)} + ${sy.toFixed(0)}`;
    const sum = (x: typeof c.bare) => [x.main, x.node, x.engine].reduce((a, [u, sy]) => a + u + sy, 0).toFixed(0);
    out.push('', table(['CPU per single event (µs, user + system, from /proc)', 'bare handler', 'service'], [
      ['server, main thread', f(c.bare.main), f(c.service.main)],
      ["server, Node's other threads (collector, fsync)", f(c.bare.node), f(c.service.node)],
      ["server, the engine's threads", f(c.bare.engine), f(c.service.engine)],
      ['server in all', sum(c.bare), sum(c.service)],
      ['load generator', f(c.bare.client), f(c.service.client)],
    ]));
  }
  const failures = [i.single.bare, i.single.service, i.ndjson.service].filter((r) => r.failures);
  if (failures.length) out.push(`Failed requests: ${JSON.stringify(failures.map((r) => r.failures))}`);
  const retried = [i.single.service, i.ndjson.service].map((r) => r.retried ?? 0);
  if (retried.some((n) => n > 0)) out.push(`Requests refused with Retry-After (429) and sent again after the wait: ${retried[0]} single, ${retried[1]} NDJSON.`);
}
if (reports) {
  const rows = REPORTS.map((r) => {
    const mo = reports!.timings.find((t) => t.report === r && t.span === 'month')!;
    const yr = reports!.timings.find((t) => t.report === r && t.span === 'year')!;
    return [r, mo.p50Ms, mo.p95Ms, yr.p50Ms, yr.p95Ms, (yr.p95Ms / Math.max(1, mo.p95Ms)).toFixed(1),
      `${mo.p95Ms < 200 ? 'ok' : 'MISSED'} / ${yr.p95Ms < 1000 ? 'ok' : 'MISSED'}`];
  });
  out.push('', table([`Reports over HTTP (${reports.runs} runs each, varied filters)`, 'month p50', 'month p95', 'year p50', 'year p95', 'year/month', '< 200 ms / < 1 s'], rows));
  out.push(`Class usage of every class and product (no filter, ${'p50 of 5'}): month ${reports.wholeMunicipality.month} ms, year ${reports.wholeMunicipality.year} ms.`);
  out.push(`First report after the service started (read live, no cache yet): ${reports.firstMs} ms; the cache built in the background answered after ${(reports.cacheReadyMs / 1000).toFixed(1)} s.`);
  out.push(`After a restart (listening in ${(reports.restart.startMs / 1000).toFixed(1)} s): the first report ${reports.restart.firstMs} ms, the slowest first answer of any report ${reports.restart.slowestFirstMs} ms.`);
}
if (storage && load) {
  const per = (b: number) => b / (load!.events / 1e6);
  const big = storage.tables.filter((t) => ['events', 'event_keys', 'usage_daily', 'usage_days', 'ident_daily'].includes(t.table));
  const cache = storage.tables.filter((t) => t.table.startsWith('rc_')).reduce((a, t) => a + t.bytes, 0);
  const rest = storage.tables.filter((t) => !big.includes(t) && !t.table.startsWith('rc_')).reduce((a, t) => a + t.bytes, 0);
  const total = storage.tables.reduce((a, t) => a + t.bytes, 0);
  out.push('', table(['Storage', 'rows', 'on disk', 'per million events'], [
    ...big.map((t) => [t.table, t.rows, mb(t.bytes), mb(per(t.bytes))]),
    ['resolution cache (rc_*, derived; up to two builds)', '', mb(cache), mb(per(cache))],
    ['roster, licences and the rest', '', mb(rest), mb(per(rest))],
    ['total', '', mb(total), mb(per(total))],
  ]));
}
const mem: (string | number)[][] = [];
// Issue 5: the server's memory stays under 1.5 GB whatever the load.
const underBound = (bytes: number) => (bytes < 1.5 * 1024 ** 3 ? 'ok' : 'OVER');
if (ingest) mem.push(['service during HTTP ingest', mb(ingest.servicePeakRssBytes), underBound(ingest.servicePeakRssBytes)]);
if (reports) mem.push(['service during the report runs', mb(reports.servicePeakRssBytes), underBound(reports.servicePeakRssBytes)]);
if (mem.length) out.push('', table(['Peak memory (RSS high-water mark)', '', '< 1.5 GB'], mem));
const g = goals({ ingest, reports, storage, events: load?.events });
if (g.length) out.push('', table(['Goal (issue 16)', 'measured', 'bound', ''], g));
out.push('', `Run took ${((performance.now() - t0) / 60_000).toFixed(1)} min. Reproduce: npm run bench -- --scale ${scale}`);

const text = out.join('\n');
process.stdout.write(`${text}\n`);
writeFileSync(join(BENCH_DIR, `results-${scale}.json`), JSON.stringify({ scale, host, load, ingest, reports, storage }, null, 2));
writeFileSync(join(BENCH_DIR, `results-${scale}.txt`), `${text}\n`);
