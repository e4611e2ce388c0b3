import { randomBytes } from 'node:crypto';
import { queryRows, type Storage } from '@licenskoll/storage';
import { groupLicencesForBuild, memberSpansForBuild } from './class-activity.ts';
import { halfStart } from './half.ts';
import type { Window } from './params.ts';
import type { Resolution } from './resolution-state.ts';
import { withBlocks } from './sql.ts';

/**
 * The resolution cache: what every report would otherwise work out again from the same
 * inputs. A build holds usage resolved to persons and products (rc_usage), each person's
 * scope signature (rc_sig), the licence each signature's days go to (rc_candidates) and the
 * days each licence claims (rc_claims), made from the identities, products, roster and
 * licences of one moment, and the usage rows written before its watermark.
 *
 * Figures stay resolved at query time (docs/design.md, "Resolved when asked"): a report reads a build only when the
 * tables it was made from are exactly as they were then (no insert or delete since), and adds
 * the usage written since, resolved at query time.
 * Otherwise it reads everything live and a new build starts in the background. The cache is
 * derived data: losing it costs time, never a figure.
 */

const INPUTS = ['identities', 'products', 'memberships', 'groups', 'enrolments', 'duties', 'org_closure', 'licences', 'erasures'];

/** Bump when what a build holds changes: builds of another version are never read. */
const CACHE_VERSION = 4;

/**
 * A hash of what has been written to the input tables: per table and partition, the highest
 * block number and how many blocks the active parts cover (an insert adds a block, a merge
 * only joins adjacent ones, so background merges leave it alone), and the number of mutations
 * (a DELETE or UPDATE). Part names would do too, but every merge would then throw the cache away.
 */
const tableList = INPUTS.map((t) => `'${t}'`).join(', ');
// The organisation closure is exchanged whole for a new table on each rebuild, whose block
// numbers start again: it counts by its content (a few thousand rows) and by the mark each
// exchange leaves, so that a build made across two exchanges (A to B and back) is not taken.
const inputsSql = `SELECT toString(cityHash64(${CACHE_VERSION}, groupArray((table, partition_id, top, blocks)),
    (SELECT count() FROM system.mutations WHERE database = currentDatabase() AND table IN (${tableList})),
    (SELECT sum(cityHash64(unit, ref, depth)) FROM org_closure),
    (SELECT max(version) FROM settings WHERE key = 'org_closure_build'))) FROM (
  SELECT table, partition_id, max(max_block_number) AS top, sum(max_block_number - min_block_number + 1) AS blocks
  FROM system.parts WHERE database = currentDatabase() AND active AND table IN (${tableList})
  GROUP BY table, partition_id ORDER BY table, partition_id)`;

/** Usage written this long before a build started is in it; later rows are read live. Covers inserts that were under way. */
const MARGIN_SECONDS = 120;
/** A build this old is replaced in the background when usage was written since, so that the rows read live stay few. */
const REFRESH_SECONDS = 60;

interface BuildRow {
  build: string;
  inputs: string;
  watermark: string;
  hmin: string;
  hmax: string;
  age: number;
  current: string;
}

const building = new WeakMap<Storage, Promise<string | null>>();
let enabled = true;

/** Turns reading and building the cache on or off for this process (tests compare both ways). */
export function setResolutionCache(on: boolean): void {
  enabled = on;
}

/**
 * The build a report over `window` may read, or null to read live. Starts a build in the
 * background when there is none for the current inputs, or when the newest one is old.
 */
export async function resolutionFor(storage: Storage, window: Window): Promise<Resolution | null> {
  if (!enabled) return null;
  // One query (each has a fixed cost however small: docs/benchmarks.md, "Measurements behind the code",
  // "A query's fixed cost"): the newest build, the current inputs, and
  // per half-year of the window when its usage was last written.
  const [row] = await queryRows<BuildRow & { halves: [string, string][] }>(
    storage.read,
    `SELECT toString(b.build) AS build, toString(b.inputs) AS inputs, toString(b.watermark) AS watermark, toString(b.hmin) AS hmin,
            toString(b.hmax) AS hmax, toUInt32(greatest(0, dateDiff('second', b.finished, now64(3)))) AS age, (${inputsSql}) AS current,
            (SELECT groupArray((toString(half), toString(last))) FROM (
               SELECT half, max(seen) AS last FROM usage_days WHERE half >= {hfrom:Date} AND half <= {to:Date} GROUP BY half)) AS halves
     FROM (SELECT 1 AS one) AS o LEFT JOIN (SELECT 1 AS one, * FROM rc_builds ORDER BY finished DESC LIMIT 1) AS b USING (one)`,
    { hfrom: halfStart(window.from), to: window.to },
    ['age'],
  );
  const fresh = row && row.build !== '0' && row.inputs === row.current;
  // Use in a half-year the build has no candidate licences for (a new half-year, a late
  // import of an old one) is read live until a build covers it.
  if (!fresh || row.halves.some(([half]) => half < row.hmin || half > row.hmax)) {
    startBuild(storage);
    return null;
  }
  const live = row.halves.some(([, last]) => last >= row.watermark);
  if (live && row.age > REFRESH_SECONDS) startBuild(storage);
  const halves: string[] = [];
  for (let h = halfStart(window.from); h <= window.to && h <= row.hmax; h = nextHalf(h)) if (h >= row.hmin) halves.push(h);
  return { build: row.build, since: row.watermark, live, hmin: row.hmin, hmax: row.hmax, halves };
}

function startBuild(storage: Storage): void {
  if (building.has(storage)) return;
  const p = buildResolution(storage)
    .catch(() => null)
    .finally(() => building.delete(storage));
  building.set(storage, p);
}

/** Waits (at most `timeoutMs`) for a build this process started, if any: before closing storage in tests. */
export async function settledResolution(storage: Storage, timeoutMs = 60_000): Promise<void> {
  const p = building.get(storage);
  if (!p) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([p, new Promise((r) => (timer = setTimeout(r, timeoutMs)))]);
  clearTimeout(timer);
}

/**
 * Makes a build from the current inputs and all usage, and drops older builds. A person's
 * events per day are the lists of their rows put end to end (an offset may repeat; sums over
 * days do not mind): merging them with sumMap took most of a build's time (docs/benchmarks.md, "Measurements behind the code",
 * "Resolution cache build"). Returns its
 * id, or null when there is no usage yet or the inputs changed while it was made (it is then
 * discarded). Every INSERT names its columns: a cache table an earlier version made has its
 * added columns at the end (evolve.ts), and INSERT ... SELECT matches columns by position.
 */
export async function buildResolution(storage: Storage, opts: { marginSeconds?: number } = {}): Promise<string | null> {
  const margin = opts.marginSeconds ?? MARGIN_SECONDS;
  const [st] = await queryRows<{ inputs: string; watermark: string; hmin: string; hmax: string; n: number }>(
    storage.read,
    `SELECT (${inputsSql}) AS inputs, toString(now() - ${Number(margin)}) AS watermark,
            toString(min(half)) AS hmin, toString(max(half)) AS hmax, count() AS n FROM usage_days`,
    {},
    ['n'],
  );
  if (!st || st.n === 0) return null;
  const build = BigInt(`0x${randomBytes(8).toString('hex')}`) >> 1n || 1n;
  const params = { build: build.toString(), from: st.hmin, to: halfEnd(st.hmax), products: [] as string[] };
  // A background job: one thread, leaving the other core to ingest and reports, and half the
  // memory (parallel aggregation keeps a hash table per thread). In the statement, not as the
  // client's clickhouse_settings: on the embedded engine those become SET on the connection's
  // session and would hold for every report after.
  const ONE_THREAD = '\nSETTINGS max_threads = 1';
  const run = (query: string) => storage.read.command({ query: query + ONE_THREAD, query_params: params });
  await run(withBlocks('INSERT INTO rc_sig (build, pk, sig) SELECT {build:UInt64}, pk, sig FROM person_sig'));
  await run(withBlocks('INSERT INTO rc_candidates (build, sig, product, half, licences, owns) SELECT {build:UInt64}, sig, product, half, licences, owns FROM candidates'));
  await run(withBlocks(`INSERT INTO rc_members (build, pk, group_id, half, mm, lo, hi, single) SELECT {build:UInt64}, * FROM (${memberSpansForBuild})`));
  await run(withBlocks(`INSERT INTO rc_group_licences (build, group_id, product, lstart, lend) SELECT {build:UInt64}, * FROM (${groupLicencesForBuild})`));
  // One half-year at a time: the whole of it at once took several times the memory
  // (docs/benchmarks.md, "Measurements behind the code", "Resolution cache build").
  for (let half = st.hmin; half <= st.hmax; half = nextHalf(half)) {
    const one = { ...params, from: half, to: halfEnd(half), half };
    await storage.read.command({
      query: withBlocks(`INSERT INTO rc_usage (build, half, product, who, pk, sig, days, day_events)
    SELECT {build:UInt64}, g.half, g.product, g.who, g.pk, s.sig, g.days,
           (arrayFlatten(arrayMap(x -> x.1, g.des)), arrayFlatten(arrayMap(x -> x.2, g.des))) FROM (
      SELECT half, product, who, any(pk) AS pk, groupBitOr(days) AS days, groupArray(day_events) AS des
      FROM usage_masks GROUP BY half, product, who) AS g
    LEFT JOIN (SELECT pk, sig FROM rc_sig WHERE build = {build:UInt64}) AS s ON s.pk = g.pk`) + ONE_THREAD,
      query_params: one,
    });
    await storage.read.command({
      query: `INSERT INTO rc_claims (build, half, product, pk, licence, claim)
    SELECT {build:UInt64}, half, product, pk, licence, claim FROM (
      SELECT r.half AS half, r.product AS product, r.pk AS pk, c.licences AS licences, arrayMap(o -> bitAnd(r.days, o), c.owns) AS cl
      FROM rc_usage AS r INNER JOIN (SELECT * FROM rc_candidates WHERE build = {build:UInt64} AND half = {half:Date}) AS c
        ON c.sig = r.sig AND c.product = r.product AND c.half = r.half
      WHERE r.build = {build:UInt64} AND r.half = {half:Date} AND r.pk != 0)
    ARRAY JOIN licences AS licence, cl AS claim WHERE claim != 0${ONE_THREAD}`,
      query_params: one,
    });
  }
  const [after] = await queryRows<{ inputs: string }>(storage.read, `SELECT (${inputsSql}) AS inputs`);
  if (after?.inputs !== st.inputs) {
    for (const table of CACHE_TABLES) await storage.read.command({ query: `ALTER TABLE ${table} DROP PARTITION ${params.build}` }).catch(() => undefined);
    return null;
  }
  await storage.read.command({
    query: 'INSERT INTO rc_builds (build, inputs, watermark, hmin, hmax, finished) SELECT {build:UInt64}, {inputs:UInt64}, {watermark:DateTime}, {hmin:Date}, {hmax:Date}, now64(3)',
    query_params: { build: params.build, inputs: st.inputs, watermark: st.watermark, hmin: st.hmin, hmax: st.hmax },
  });
  await dropOldBuilds(storage);
  return params.build;
}

const CACHE_TABLES = ['rc_usage', 'rc_sig', 'rc_candidates', 'rc_claims', 'rc_members', 'rc_group_licences'];

/**
 * Keeps the newest two builds (a report may still read the previous one) and drops the rest,
 * and the partitions of builds never finished (a process stopped while making one), once they
 * are ten minutes old: a younger one may be a build another process is still making.
 */
async function dropOldBuilds(storage: Storage): Promise<void> {
  const keep = new Set(
    (await queryRows<{ build: string }>(storage.read, 'SELECT toString(build) AS build FROM rc_builds ORDER BY finished DESC LIMIT 2')).map((r) => r.build),
  );
  const parts = await queryRows<{ table: string; partition: string }>(
    storage.read,
    `SELECT table, partition FROM system.parts
     WHERE database = currentDatabase() AND active AND table IN (${CACHE_TABLES.map((t) => `'${t}'`).join(', ')})
     GROUP BY table, partition HAVING max(modification_time) < now() - 600`,
  );
  for (const p of parts) {
    if (keep.has(p.partition)) continue;
    await storage.read.command({ query: `ALTER TABLE ${p.table} DROP PARTITION ${p.partition}` }).catch(() => undefined);
  }
}

const nextHalf = (half: string) => `${half.slice(5, 7) === '01' ? half.slice(0, 4) : Number(half.slice(0, 4)) + 1}-${half.slice(5, 7) === '01' ? '07' : '01'}-01`;

const halfEnd = (half: string) => {
  const d = new Date(`${half}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + 6);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
};
