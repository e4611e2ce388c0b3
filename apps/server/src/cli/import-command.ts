import { detectImport, fetchSs12000, importers, isImportKind, parseOutcome, type Rejection, type StreamResult } from '@licenskoll/importers';
import type { EventInput } from '@licenskoll/core';
import type { ApiClient } from './client.ts';
import { counting, openSource } from './source.ts';
import { parseDuration } from './args.ts';
import { unresolvedNote } from '@licenskoll/roster';

export interface Summary {
  read: number;
  stored: number;
  duplicates: number;
  skipped: number;
  /** Empty rows and lines: read, neither stored nor rejected. */
  blank: number;
  rejected: number;
  reasons: Rejection[];
  notes: string[];
}

const log = (s: string) => process.stderr.write(`${s}\n`);

function printSummary(kind: string, file: string, s: Summary, ms: number) {
  const blank = s.blank ? `, ${s.blank} blank` : '';
  log(`\n${kind} ${file}: ${s.read} read, ${s.stored} stored, ${s.duplicates} skipped as duplicates, ${s.skipped} skipped${blank}, ${s.rejected} rejected (${(ms / 1000).toFixed(1)} s)`);
  for (const n of s.notes) log(`  note: ${n}`);
  for (const r of s.reasons.slice(0, 50)) {
    // A spreadsheet's row first: it is what Excel shows; the line where a quoted cell spans lines differs.
    const where = [r.file, r.row !== undefined ? `row ${r.row}` : r.line !== undefined ? `line ${r.line}` : r.index !== undefined ? `#${r.index}` : '']
      .filter(Boolean).join(' ');
    log(`  rejected ${where}${r.field ? ` ${r.field}` : ''}: ${r.reason}`);
  }
  if (s.reasons.length > 50) log(`  … and ${s.reasons.length - 50} more`);
}

/** Event files are parsed here and sent in NDJSON batches: bounded memory, live progress, resumable by idempotency. */
async function importEvents(api: ApiClient, result: StreamResult<EventInput>, bytesRead: () => number, size?: number): Promise<Summary> {
  const s: Summary = { read: 0, stored: 0, duplicates: 0, skipped: 0, blank: 0, rejected: 0, reasons: [], notes: [] };
  let batch: string[] = [];
  let sentBase = 0;
  let last = 0;
  const send = async () => {
    if (!batch.length) return;
    const r = await api.post('/v1/events', batch.join('\n'), 'application/x-ndjson');
    if (r.status === 202 || r.status === 400) {
      const body = r.status === 202 ? r.json : { accepted: 0, duplicates: 0, rejected: r.json.error?.details?.rejected ?? [] };
      s.stored += body.accepted;
      s.duplicates += body.duplicates;
      for (const x of body.rejected ?? []) {
        s.rejected++;
        s.reasons.push({ index: sentBase + x.index, reason: x.error });
      }
    } else {
      throw new Error(`the server answered ${r.status}: ${r.json?.error?.message ?? ''}`);
    }
    sentBase += batch.length;
    batch = [];
  };
  // The progress line shows the same counters as the summary, and is drawn once more at the
  // end: a line drawn after the first record and never again said "1 lines read" of a 3-line file.
  const progress = (done: boolean) => {
    const pct = done ? ' 100 %' : size ? ` ${Math.min(100, Math.round((bytesRead() / size) * 100))} %` : '';
    const rejected = result.stats.rejected + s.rejected;
    process.stderr.write(`\r${result.stats.read} lines read${pct}, ${s.stored} stored, ${batch.length} to send, ${rejected} rejected   ${done ? '\n' : ''}`);
  };
  for await (const e of result.records) {
    batch.push(JSON.stringify(e));
    if (batch.length >= 5000) await send();
    if (Date.now() - last > 1000) {
      last = Date.now();
      progress(false);
    }
  }
  await send();
  if (last) progress(true);
  const o = parseOutcome(result);
  Object.assign(s, { read: o.read, skipped: o.skipped, blank: o.blank, notes: o.notes });
  s.rejected += o.rejected;
  s.reasons.unshift(...o.rejections);
  for (const [reason, n] of Object.entries(o.skippedReasons)) s.notes.push(`${n} skipped: ${reason}`);
  for (const f of o.failures) s.notes.push(`${f.failures} failed sign-ins to ${f.product} (not counted as use)`);
  return s;
}

/** Whole-file formats go to the server's importer as they are. */
async function importFile(api: ApiClient, kind: string, path: string, body: Uint8Array, flags: Record<string, string | true>): Promise<Summary> {
  const q = new URLSearchParams({ file: path });
  if (typeof flags['as-of'] === 'string') q.set('asOf', flags['as-of']);
  if (typeof flags.format === 'string') q.set('format', flags.format);
  if (typeof flags.unresolved === 'string') q.set('unresolved', flags.unresolved);
  const route = kind === 'ss12000' ? `/v1/import/ss12000?${q}` : `/v1/import/${kind}?${q}`;
  const r = await api.post(route, body as unknown as BodyInit, kind === 'ss12000' ? 'application/json' : 'application/octet-stream');
  if (r.status >= 400) {
    const d = r.json?.error?.details;
    throw new Error(`${r.json?.error?.message ?? `the server answered ${r.status}`}${d?.detected ? ` (it looks like ${d.detected})` : ''}`);
  }
  if (kind === 'ss12000') {
    const c = r.json.counts;
    const stored = c.organisations + c.persons + c.groups + c.duties;
    return {
      read: stored + r.json.rejected.length, stored, duplicates: 0,
      skipped: 0, blank: 0, rejected: r.json.rejected.length,
      reasons: r.json.rejected.map((x: any) => ({ index: x.index, field: x.kind, reason: x.error })),
      notes: [
        `roster as of ${r.json.asOf}: ${JSON.stringify(c)}; ${r.json.closedMemberships} memberships closed`,
        ...(r.json.unresolved?.count ? [unresolvedNote(r.json.unresolved)] : []),
        ...(r.json.unresolved?.references ?? []).slice(0, 20).map((u: any) => `unresolved ${u.kind} ${u.id}: named by ${u.rows} row(s): ${u.referencedBy.join(', ')}`),
      ],
    };
  }
  return {
    read: r.json.read, stored: r.json.stored, duplicates: r.json.duplicates, skipped: r.json.skipped, blank: r.json.blank ?? 0, rejected: r.json.rejectedCount,
    reasons: r.json.rejected, notes: [...r.json.notes, ...Object.entries(r.json.skippedReasons ?? {}).map(([k, n]) => `${n} skipped: ${k}`)],
  };
}

async function readAll(src: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const c of src) parts.push(c);
  return Buffer.concat(parts);
}

/** Pulls a live SS12000 API and imports it as today's snapshot; with --every, again and again. */
async function importSs12000Api(api: ApiClient, baseUrl: string, flags: Record<string, string | true>): Promise<void> {
  const auth = typeof flags['client-id'] === 'string'
    ? { tokenUrl: String(flags['token-url']), clientId: String(flags['client-id']), clientSecret: String(flags['client-secret'] ?? process.env.SS12000_CLIENT_SECRET ?? ''), ...(typeof flags.scope === 'string' ? { scope: flags.scope } : {}) }
    : typeof flags['api-token'] === 'string' || process.env.SS12000_TOKEN
      ? { token: String(flags['api-token'] ?? process.env.SS12000_TOKEN) }
      : undefined;
  const every = typeof flags.every === 'string' ? parseDuration(flags.every) : 0;
  for (;;) {
    const t0 = Date.now();
    const data = await fetchSs12000({
      baseUrl, ...(auth ? { auth } : {}), ...(typeof flags.limit === 'string' ? { limit: Number(flags.limit) } : {}),
      onProgress: (p) => process.stderr.write(`\r${p.resource}: page ${p.page}, ${p.fetched} fetched${p.done ? ' ✓\n' : '   '}`),
    });
    const s = await importFile(api, 'ss12000', baseUrl, Buffer.from(JSON.stringify(data)), flags);
    printSummary('ss12000-api', baseUrl, s, Date.now() - t0);
    if (!every) return;
    log(`next pull in ${flags.every}`);
    await new Promise((r) => setTimeout(r, every));
  }
}

export async function importCommand(api: ApiClient, kindArg: string, where: string, flags: Record<string, string | true>): Promise<number> {
  const t0 = Date.now();
  if (kindArg === 'ss12000-api') {
    await importSs12000Api(api, where, flags);
    return 0;
  }
  const src = await openSource(where);
  let bytes = 0;
  let input: AsyncIterable<Uint8Array> = counting(src.stream(), (n) => (bytes += n));
  let kind = kindArg;
  if (kind === 'auto' || kind !== 'ss12000') {
    const d = await detectImport(input, src.name);
    input = d.input as AsyncIterable<Uint8Array>;
    if (kind === 'auto') {
      if (d.sniffed.format === 'ss12000' || /ss12000/i.test(d.sniffed.label)) kind = 'ss12000';
      else if (!d.kind) throw new Error(`${src.name} looks like ${d.sniffed.label}, which has no importer here`);
      else kind = d.kind;
      log(`${src.name}: ${d.sniffed.label} → ${kind}`);
    }
  }
  if (kind !== 'ss12000' && !isImportKind(kind)) {
    throw new Error(`unknown kind "${kind}": use auto, ss12000, ss12000-api, ${Object.keys(importers).join(', ')}`);
  }
  let summary: Summary;
  if (kind !== 'ss12000' && importers[kind].streaming) {
    const result = (await importers[kind].parse(input, { fileName: src.name, ...(typeof flags.format === 'string' ? { format: flags.format } : {}) })) as StreamResult<EventInput>;
    summary = await importEvents(api, result, () => bytes, src.size);
  } else {
    summary = await importFile(api, kind, src.name, await readAll(input), flags);
  }
  printSummary(kind, src.name, summary, Date.now() - t0);
  return summary.stored === 0 && summary.rejected > 0 ? 1 : 0;
}
