import { COLUMNS } from '@licenskoll/reports';
import { headerOf, wallClock, type Lang } from '../http/csv.ts';
import type { PackFigures, PackFollowup, PackRenewal, PackUnused } from './figures.ts';
import { weeklyChart } from './pdf-chart.ts';
import {
  BAND, BRAND, FONT, INK, MUTED, bottomOf, contentWidth, docBytes, drawTable, ensureRoom, newDoc, numberFormats, pageNumbers, sectionTitle,
  type Doc, type NumberFormats, type PdfColumn,
} from './pdf-kit.ts';
import { packWords, statusText, type PackWords } from './words.ts';

/**
 * The renewal pack as a PDF for a purchaser: a title block (organiser, buyer, period, when it
 * was made) with the four sums, a table per section, a chart of weekly licensed active users
 * per licence, the words explained, and "Sida i av N" on every page. Layout: docs/reports.md.
 */
export interface PdfInput {
  figures: PackFigures;
  lang: Lang;
  timeZone: string;
  generatedAt?: Date;
}

const head = (lang: Lang, key: string) => headerOf(COLUMNS[key], lang);

function titleBlock(doc: Doc, f: PackFigures, w: PackWords, n: NumberFormats, lang: Lang, made: string) {
  const p = f.params;
  const x = doc.page.margins.left;
  const width = contentWidth(doc);
  doc.rect(0, 0, doc.page.width, 118).fill(BRAND);
  doc.font(FONT.regular).fontSize(9).fillColor('#cfdcec').text('Licenskoll', x, 30, { width });
  doc.font(FONT.bold).fontSize(24).fillColor('#ffffff').text(w('title'), x, 44, { width });
  doc.font(FONT.regular).fontSize(12).fillColor('#ffffff').text(p.buyer ?? w('allBuyers'), x, 78, { width, lineBreak: false, ellipsis: true });
  doc.y = 134;
  const facts: [string, string][] = [
    ...(f.organiser ? [[w('organiser'), f.organiser] as [string, string]] : []),
    [w('buyer'), p.buyer ?? w('allBuyers')],
    [w('asOf'), n.date(p.asOf)],
    [w('periodLabel'), w('period', { from: n.date(p.asOf), to: n.date(p.horizonEnd), within: p.within })],
    [w('unusedLabel'), w('unusedWindow', { days: p.days, asOf: n.date(p.asOf), threshold: n.percent(p.threshold) })],
    [w('made'), made],
  ];
  for (const [label, value] of facts) {
    const y = doc.y;
    doc.font(FONT.bold).fontSize(9).fillColor(INK).text(label, x, y, { width: 120 });
    doc.font(FONT.regular).fontSize(9).text(value, x + 125, y, { width: width - 125 });
    doc.y += 2;
  }
  // The four sums, as boxes.
  const kpis: [string, string][] = [
    [w('kpiRenewals'), n.number(f.totals.renewals)],
    [w('kpiSaving'), n.money(f.totals.projectedSaving)],
    [w('kpiUnused'), n.money(f.totals.unusedCost)],
    [w('kpiFollowups'), n.number(f.totals.openFollowups)],
  ];
  const gap = 8;
  const bw = (width - gap * (kpis.length - 1)) / kpis.length;
  const top = doc.y + 12;
  const boxH = 60;
  kpis.forEach(([label, value], i) => {
    const bx = x + i * (bw + gap);
    doc.rect(bx, top, bw, boxH).fill(BAND);
    doc.font(FONT.regular).fontSize(7.5).fillColor(MUTED).text(label, bx + 8, top + 7, { width: bw - 16, height: 20 });
    doc.font(FONT.bold).fontSize(15).fillColor(INK).text(value, bx + 8, top + boxH - 24, { width: bw - 16, lineBreak: false });
  });
  doc.y = top + boxH + 6;
  doc.x = x;
  const missingSeats = f.renewals.reduce((a, r) => a + (r.seatsMissing ?? 0), 0);
  if (f.totals.missingCost > 0 || missingSeats > 0) {
    doc.font(FONT.regular).fontSize(8.5).fillColor(INK).text(w('missingNote', { n: n.number(missingSeats), cost: n.money(f.totals.missingCost) }), x, doc.y + 4, { width });
  }
}

const licenceCell = <T extends { licence: string; productName: string; reach?: string }>(w: PackWords, lang: Lang): PdfColumn<T> => ({
  header: head(lang, 'productName'), width: 3,
  text: (r) => r.productName,
  sub: (r) => `${r.licence}${r.reach === 'partial' ? ` · ${w('partial')}` : ''}`,
});

function renewalColumns(f: PackFigures, w: PackWords, n: NumberFormats, lang: Lang): PdfColumn<PackRenewal>[] {
  return [
    licenceCell(w, lang),
    ...(f.params.buyer === null ? [{ header: head(lang, 'buyer'), width: 2.4, text: (r: PackRenewal) => r.buyer }] : []),
    { header: head(lang, 'end'), width: 1.2, nowrap: true, text: (r) => n.date(r.end), sub: (r) => w('daysLeft', { n: n.number(r.daysToExpiry) }) },
    { header: head(lang, 'seats'), width: 0.3, align: 'right', text: (r) => (r.seats === null ? w('unlimited') : n.number(r.seats)) },
    { header: head(lang, 'peak'), width: 0.3, align: 'right', text: (r) => n.number(r.peak) },
    { header: head(lang, 'recommendedSeats'), width: 0.3, align: 'right', text: (r) => n.number(r.recommendedSeats) },
    { header: head(lang, 'projectedSaving'), width: 0.3, align: 'right', bold: true, text: (r) => n.money(r.projectedSaving, r.currency) },
    { header: head(lang, 'cost'), width: 0.3, align: 'right', text: (r) => n.money(r.cost, r.currency) },
  ];
}

function unusedColumns(f: PackFigures, w: PackWords, n: NumberFormats, lang: Lang): PdfColumn<PackUnused>[] {
  return [
    licenceCell(w, lang),
    ...(f.params.buyer === null ? [{ header: head(lang, 'buyer'), width: 2.4, text: (r: PackUnused) => r.buyer }] : []),
    { header: head(lang, 'status'), width: 1.2, text: (r) => statusText(w, r.status) },
    { header: head(lang, 'end'), width: 1, nowrap: true, text: (r) => n.date(r.end) },
    { header: head(lang, 'seats'), width: 0.3, align: 'right', text: (r) => (r.seats === null ? w('unlimited') : n.number(r.seats)) },
    { header: head(lang, 'licensedActive'), width: 0.3, align: 'right', text: (r) => n.number(r.licensedActive) },
    { header: head(lang, 'utilisation'), width: 0.3, align: 'right', text: (r) => n.percent(r.utilisation) },
    { header: head(lang, 'unusedCost'), width: 0.3, align: 'right', bold: true, text: (r) => n.money(r.unusedCost, r.currency) },
  ];
}

function followupColumns(f: PackFigures, n: NumberFormats, lang: Lang, timeZone: string): PdfColumn<PackFollowup>[] {
  return [
    { header: head(lang, 'productName'), width: 2, text: (r) => r.productName, sub: (r) => r.licence },
    ...(f.params.buyer === null ? [{ header: head(lang, 'buyer'), width: 1.5, text: (r: PackFollowup) => r.buyer }] : []),
    { header: head(lang, 'end'), width: 1, nowrap: true, text: (r) => n.date(r.end) },
    { header: head(lang, 'note'), width: 6, text: (r) => r.note },
    { header: head(lang, 'by'), width: 1.4, text: (r) => r.by },
    { header: head(lang, 'at'), width: 1.3, nowrap: true, text: (r) => wallClock(r.at, timeZone) },
  ];
}

/** A chart per licence with any use in the weeks, two to a row; the licences without any named in one sentence after them. */
function charts(doc: Doc, f: PackFigures, w: PackWords, n: NumberFormats) {
  const x0 = doc.page.margins.left;
  const gap = 18;
  const cw = (contentWidth(doc) - gap) / 2;
  const ch = 124;
  const used = f.weekly.filter((l) => l.weeks.some((p) => p.licensedActive > 0));
  const idle = f.weekly.filter((l) => !used.includes(l));
  used.forEach((l, i) => {
    const col = i % 2;
    if (col === 0) ensureRoom(doc, ch + 10);
    const y = doc.y;
    const max = l.weeks.reduce((m, p) => (p.licensedActive > m.licensedActive ? p : m), l.weeks[0]);
    const latest = l.weeks[l.weeks.length - 1]?.licensedActive ?? 0;
    const caption = w('chartCaption', { max: n.number(max.licensedActive), week: n.date(max.week), latest: n.number(latest) });
    weeklyChart(doc, { x: x0 + col * (cw + gap), y, w: cw, h: ch }, l.productName, l.licence, l.weeks, n, caption);
    // The second chart of a row sits beside the first; the next row starts below both.
    doc.y = col === 0 && i < used.length - 1 ? y : y + ch + 10;
  });
  doc.x = x0;
  if (idle.length) {
    const list = idle.map((l) => `${l.productName} (${l.licence})`).join(', ');
    doc.font(FONT.regular).fontSize(8.5).fillColor(INK).text(w('chartsNone', { list }), x0, doc.y, { width: contentWidth(doc) });
  }
}

function explanations(doc: Doc, keys: string[], lang: Lang, w: PackWords) {
  sectionTitle(doc, w('explain'), w('explainLead'));
  const x = doc.page.margins.left;
  const width = contentWidth(doc);
  for (const k of keys) {
    const c = COLUMNS[k];
    const text = lang === 'sv' ? c.meaningSv : c.meaningEn;
    const h = doc.font(FONT.regular).fontSize(8.5).heightOfString(text, { width: width - 150 });
    ensureRoom(doc, h + 6);
    const y = doc.y;
    doc.font(FONT.bold).fontSize(8.5).fillColor(INK).text(lang === 'sv' ? c.sv : c.en, x, y, { width: 140 });
    doc.font(FONT.regular).fontSize(8.5).text(text, x + 150, y, { width: width - 150 });
    doc.y = Math.max(doc.y, y + h) + 5;
  }
}

const EXPLAINED = ['productName', 'licence', 'buyer', 'end', 'seats', 'peak', 'recommendedSeats', 'projectedSaving', 'missingCost', 'cost', 'status', 'licensedActive', 'utilisation', 'unusedCost', 'openFollowups'];

/** The pack as PDF bytes. */
export async function packPdf(input: PdfInput): Promise<Buffer> {
  const { figures: f, lang, timeZone } = input;
  const w = packWords(lang);
  const n = numberFormats(lang);
  const made = `${wallClock((input.generatedAt ?? new Date()).toISOString(), timeZone)} (${timeZone})`;
  const doc = newDoc(`${w('title')}: ${f.params.buyer ?? w('allBuyers')}`, lang);
  titleBlock(doc, f, w, n, lang, made);

  sectionTitle(doc, w('renewals', { within: f.params.within }), w('renewalsLead', { headroom: n.percent(f.params.headroom) }));
  if (f.renewals.length) drawTable(doc, renewalColumns(f, w, n, lang), f.renewals);
  else doc.font(FONT.regular).fontSize(9).text(w('noRenewals', { within: f.params.within }));

  sectionTitle(doc, w('unused'), w('unusedLead', { days: f.params.days, threshold: n.percent(f.params.threshold) }));
  if (f.unused.length) drawTable(doc, unusedColumns(f, w, n, lang), f.unused);
  else doc.font(FONT.regular).fontSize(9).text(w('noUnused'));

  sectionTitle(doc, w('followups'), w('followupsLead'));
  if (f.followups.length) drawTable(doc, followupColumns(f, n, lang, timeZone), f.followups);
  else doc.font(FONT.regular).fontSize(9).text(w('noFollowups'));

  if ([...f.renewals, ...f.unused].some((r) => 'reach' in r && r.reach === 'partial')) {
    doc.moveDown(0.5).font(FONT.regular).fontSize(8).fillColor(MUTED).text(w('partialNote'), { width: contentWidth(doc) }).fillColor(INK);
  }

  if (f.weekly.length) {
    sectionTitle(doc, w('weekly'), w('weeklyLead', { weeks: f.weekly[0].weeks.length }));
    charts(doc, f, w, n);
  }
  explanations(doc, EXPLAINED, lang, w);
  if (doc.y > bottomOf(doc)) doc.addPage();
  pageNumbers(doc, (i, total) => w('page', { i, n: total }), `Licenskoll · ${w('title')} · ${f.params.buyer ?? w('allBuyers')} · ${n.date(f.params.asOf)}`);
  return docBytes(doc);
}
