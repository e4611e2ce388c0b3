import { z } from 'zod';
import { daysBetween } from '@licenskoll/core';
import type { Storage } from '@licenskoll/storage';
import { getLicences, listFollowups } from '@licenskoll/licensing';
import { overviewReport, productNames, renewalTotals, renewalsReport, reportWords, trailingWindow, unusedReport } from '@licenskoll/reports';
import { answerFile, type RowsAnswer } from '../http/answer-format.ts';
import type { Attachment, AttachmentChoice, AttachmentProducer, Period, RecipientScope } from './attachments.ts';

type Row = Record<string, unknown>;

/** A report's rows and the rest of its JSON answer, as the API gives them for the same parameters. */
interface Table {
  rows: Row[];
  params: Row;
  totals?: Row;
}

/** `3 licenser`, `1 licence`: a count with its word in the reader's language. */
const count = (n: number, lang: 'sv' | 'en', one: string, many: string) => `${n.toLocaleString(lang === 'sv' ? 'sv-SE' : 'en-GB')} ${n === 1 ? one : many}`;
const kr = (v: number, lang: 'sv' | 'en') => `${v.toLocaleString(lang === 'sv' ? 'sv-SE' : 'en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} kr`;

interface TableSpec<P extends z.ZodObject> {
  key: string;
  scopes: RecipientScope['kind'][];
  params: P;
  table(storage: Storage, period: Period, params: z.infer<P>): Promise<Table>;
  /** Totals that depend on the rows, recomputed when a buyer's share of the rows is taken. */
  totals?(rows: Row[]): Row;
  summary(t: Table, lang: 'sv' | 'en'): string[];
}

/** A report as a table file (xlsx, csv, csv-excel), cut to the buyer's licences for a buyer. */
function tableProducer<P extends z.ZodObject>(spec: TableSpec<P>): AttachmentProducer {
  return {
    key: spec.key,
    formats: ['xlsx', 'csv-excel', 'csv'],
    scopes: spec.scopes,
    params: spec.params,
    async produce(storage: Storage, scope: RecipientScope, period: Period, choice: AttachmentChoice): Promise<Attachment> {
      const t = await spec.table(storage, period, spec.params.parse(choice.params) as z.infer<P>);
      if (scope.kind === 'buyer') {
        t.rows = t.rows.filter((r) => r.buyer === scope.buyer);
        t.params = { ...t.params, buyer: scope.buyer };
        if (spec.totals) t.totals = spec.totals(t.rows);
      }
      if (choice.format === 'pdf') throw new Error(`${spec.key} has no PDF form`);
      const answer: RowsAnswer = { name: spec.key, rows: t.rows, extra: { params: t.params, ...(t.totals ? { totals: t.totals } : {}) }, timeZone: choice.timeZone };
      const f = await answerFile(choice.format, choice.lang, answer, `-${period.asOf}`);
      return { filename: f.filename, contentType: f.contentType, content: Buffer.from(f.body), summary: spec.summary(t, choice.lang) };
    },
  };
}

const days = (max: number, dflt: number) => z.number().int('must be a whole number').min(1, 'must be at least 1').max(max).default(dflt);
const share = (dflt: number) => z.number().min(0, 'must be between 0 and 1').max(1, 'must be between 0 and 1').default(dflt);
const strictParams = <T extends z.ZodRawShape>(shape: T) =>
  z.strictObject(shape, { error: (i) => (i.code === 'unrecognized_keys' ? `${i.keys.join(', ')}: not a parameter of this report (it takes ${Object.keys(shape).join(', ') || 'none'})` : undefined) });

const renewals = tableProducer({
  key: 'renewals',
  scopes: ['organiser', 'buyer'],
  params: strictParams({ within: days(3660, 90), headroom: z.number().min(0, 'must not be negative').max(10).default(0.1) }),
  async table(storage, period, p) {
    const rows = await renewalsReport(storage, { asOf: period.asOf, within: p.within, headroom: p.headroom, products: [] });
    return { rows: rows as unknown as Row[], totals: renewalTotals(rows) as unknown as Row, params: { asOf: period.asOf, within: p.within, headroom: p.headroom } };
  },
  totals: (rows) => renewalTotals(rows as never) as unknown as Row,
  summary: (t, lang) => [
    lang === 'sv'
      ? `${count(t.rows.length, lang, 'licens slutar', 'licenser slutar')} inom ${t.params.within} dagar.`
      : `${count(t.rows.length, lang, 'licence ends', 'licences end')} within ${t.params.within} days.`,
    `${lang === 'sv' ? 'Möjlig besparing' : 'Projected saving'}: ${kr(Number(t.totals?.projectedSaving ?? 0), lang)}.`,
  ],
});

const unused = tableProducer({
  key: 'unused',
  scopes: ['organiser', 'buyer'],
  params: strictParams({ days: days(3660, 30), threshold: share(0.5) }),
  async table(storage, period, p) {
    const rows = await unusedReport(storage, { asOf: period.asOf, days: p.days, threshold: p.threshold, products: [] });
    return { rows: rows as unknown as Row[], params: { asOf: period.asOf, days: p.days, threshold: p.threshold } };
  },
  summary: (t, lang) => {
    const cost = t.rows.reduce((a, r) => a + Number(r.unusedCost ?? r.price ?? 0), 0);
    return lang === 'sv'
      ? [`${count(t.rows.length, lang, 'licens', 'licenser')} oanvända eller underutnyttjade de senaste ${t.params.days} dagarna.`, `Oanvänd kostnad: ${kr(cost, lang)}.`]
      : [`${count(t.rows.length, lang, 'licence', 'licences')} unused or underused in the last ${t.params.days} days.`, `Unused cost: ${kr(cost, lang)}.`];
  },
});

/** The weekly summary: the overview by product over the days before the occurrence. */
const overview = tableProducer({
  key: 'overview',
  scopes: ['organiser'],
  params: strictParams({ days: days(366, 7) }),
  async table(storage, period, p) {
    const window = trailingWindow(period.asOf, p.days);
    const r = await overviewReport(storage, { window, asOf: period.asOf, products: [] });
    return { rows: r.rows as unknown as Row[], totals: r.totals as unknown as Row, params: { ...window, asOf: period.asOf } };
  },
  summary: (t, lang) => [
    `Period: ${t.params.from} – ${t.params.to}.`,
    lang === 'sv'
      ? `${count(Number(t.totals?.activeUsers ?? 0), lang, 'aktiv användare', 'aktiva användare')}, oanvänd kostnad ${kr(Number(t.totals?.unusedCost ?? 0), lang)}.`
      : `${count(Number(t.totals?.activeUsers ?? 0), lang, 'active user', 'active users')}, unused cost ${kr(Number(t.totals?.unusedCost ?? 0), lang)}.`,
  ],
});

/**
 * The action list: licences whose latest follow-up is open (figure 10's open follow-ups), with
 * what was noted. The note's author is left out: the list goes to buyers too.
 */
const followups = tableProducer({
  key: 'followups',
  scopes: ['organiser', 'buyer'],
  params: strictParams({}),
  async table(storage, period) {
    const [history, licences, names] = await Promise.all([listFollowups(storage), getLicences(storage), productNames(storage)]);
    const latest = new Map<string, (typeof history)[number]>();
    for (const f of history) if (!latest.has(f.licence)) latest.set(f.licence, f);
    const rows: Row[] = [];
    for (const l of licences) {
      const f = latest.get(l.id);
      if (f?.status !== 'open') continue;
      const product = names.resolve(l.product);
      rows.push({
        licence: l.id, productName: names.name(product), buyer: l.buyer, end: l.end,
        daysToExpiry: daysBetween(period.asOf, l.end), status: f.status, note: f.note, at: f.at,
      });
    }
    rows.sort((a, b) => String(a.end).localeCompare(String(b.end)) || String(a.licence).localeCompare(String(b.licence)));
    return { rows, params: { asOf: period.asOf } };
  },
  summary: (t, lang) => [
    lang === 'sv'
      ? `${count(t.rows.length, lang, 'licens har', 'licenser har')} ett öppet uppföljningsärende.`
      : `${count(t.rows.length, lang, 'licence has', 'licences have')} an open follow-up.`,
  ],
});

export const REPORT_ATTACHMENTS: readonly AttachmentProducer[] = [renewals, unused, overview, followups];

/** The subject line's name of a report kind. */
export const reportTitle = (key: string, lang: 'sv' | 'en') => (lang === 'sv' ? reportWords(key).sv : reportWords(key).en);
