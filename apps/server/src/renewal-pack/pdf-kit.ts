import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import PDFDocument from 'pdfkit';
import type { Lang } from '../http/csv.ts';
export { numberFormats, type NumberFormats } from './numbers.ts';

/**
 * The drawing pieces of the pack's PDF: fonts, number formats, a table that carries its header
 * over page breaks. DejaVu Sans has every Swedish letter (and the minus sign, the en dash and
 * the narrow spaces Intl puts in Swedish numbers); pdfkit's built-in Helvetica has no å ä ö
 * outside WinAnsi and no U+2212 at all.
 */
const FONT_DIR = join(dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');
export const FONT = { regular: 'Sans', bold: 'Sans-Bold', cond: 'Cond', condBold: 'Cond-Bold' } as const;

export const INK = '#1f2733';
export const MUTED = '#5b6676';
export const BRAND = '#1d4e89';
export const RULE = '#c9d0da';
export const BAND = '#e8eef4';

export type Doc = PDFKit.PDFDocument;

export function newDoc(title: string, lang: Lang): Doc {
  const doc = new PDFDocument({ size: 'A4', margins: { top: 48, bottom: 56, left: 48, right: 48 }, bufferPages: true, info: { Title: title, Creator: 'Licenskoll' }, lang: lang === 'sv' ? 'sv-SE' : 'en-GB' });
  doc.registerFont(FONT.regular, join(FONT_DIR, 'DejaVuSans.ttf'));
  doc.registerFont(FONT.bold, join(FONT_DIR, 'DejaVuSans-Bold.ttf'));
  // Tables in the condensed cut: eight columns of Swedish headers fit an A4 page's width.
  doc.registerFont(FONT.cond, join(FONT_DIR, 'DejaVuSansCondensed.ttf'));
  doc.registerFont(FONT.condBold, join(FONT_DIR, 'DejaVuSansCondensed-Bold.ttf'));
  doc.font(FONT.regular).fillColor(INK);
  return doc;
}

/** The finished document's bytes. */
export function docBytes(doc: Doc): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.end();
  });
}


export const contentWidth = (doc: Doc) => doc.page.width - doc.page.margins.left - doc.page.margins.right;
export const bottomOf = (doc: Doc) => doc.page.height - doc.page.margins.bottom;

/** Room for `h` more points on this page, or a new page. */
export function ensureRoom(doc: Doc, h: number) {
  if (doc.y + h > bottomOf(doc)) doc.addPage();
}

export function sectionTitle(doc: Doc, title: string, lead?: string) {
  ensureRoom(doc, 80);
  doc.moveDown(0.8);
  doc.font(FONT.bold).fontSize(14).fillColor(BRAND).text(title, doc.page.margins.left, doc.y, { width: contentWidth(doc) });
  if (lead) doc.moveDown(0.2).font(FONT.regular).fontSize(9).fillColor(MUTED).text(lead, { width: contentWidth(doc) });
  doc.moveDown(0.5).fillColor(INK);
}

export interface PdfColumn<T> {
  header: string;
  /** Share of the table's width. */
  width: number;
  align?: 'left' | 'right';
  text: (row: T) => string;
  /** A second, smaller line (a licence's id under its product). */
  sub?: (row: T) => string;
  bold?: boolean;
  /** Keep each value on one line (numbers, money and dates are: right-aligned columns never wrap). */
  nowrap?: boolean;
}

const PAD = 4;
const SIZE = 8.5;
const HEAD = 8;
const SUB = 7;

/** Right-aligned columns (numbers, money) and dates never wrap; every other cell wraps between words only. */
const noWrap = <T>(c: PdfColumn<T>) => c.nowrap || c.align === 'right';
const words = (s: string) => s.split(/\s+/).filter(Boolean);

/**
 * Column widths: each column at least as wide as its longest header word and (numbers) its
 * widest value or (text) its longest word, so nothing breaks inside a word; the room left is
 * shared by the columns' weights. If even that does not fit, all shrink alike.
 */
function columnWidths<T>(doc: Doc, cols: PdfColumn<T>[], rows: T[]): number[] {
  const room = contentWidth(doc);
  const mins = cols.map((c) => {
    doc.font(FONT.condBold).fontSize(HEAD);
    let m = Math.max(0, ...words(c.header).map((x) => doc.widthOfString(x)));
    doc.font(c.bold ? FONT.condBold : FONT.cond).fontSize(SIZE);
    for (const r of rows) {
      const t = c.text(r) ?? '';
      m = Math.max(m, noWrap(c) ? doc.widthOfString(t) : Math.max(0, ...words(t).map((x) => Math.min(doc.widthOfString(x), room / 4))));
    }
    return m + 2 * PAD + 1;
  });
  const need = mins.reduce((a, b) => a + b, 0);
  if (need >= room) return mins.map((m) => (m / need) * room);
  const weight = cols.reduce((a, c) => a + c.width, 0);
  return mins.map((m, i) => m + ((room - need) * cols[i].width) / weight);
}

function cellHeight<T>(doc: Doc, c: PdfColumn<T>, row: T, w: number) {
  let h = doc.font(c.bold ? FONT.condBold : FONT.cond).fontSize(SIZE).heightOfString(c.text(row) || ' ', { width: w - 2 * PAD });
  const sub = c.sub?.(row);
  if (sub) h += doc.font(FONT.cond).fontSize(SUB).heightOfString(sub, { width: w - 2 * PAD }) + 1;
  return h + 2 * PAD;
}

function drawHeader<T>(doc: Doc, cols: PdfColumn<T>[], widths: number[], x0: number): void {
  doc.font(FONT.condBold).fontSize(HEAD);
  const h = Math.max(...cols.map((c, i) => doc.heightOfString(c.header, { width: widths[i] - 2 * PAD }))) + 2 * PAD;
  const y = doc.y;
  doc.rect(x0, y, widths.reduce((a, b) => a + b, 0), h).fill(BAND);
  let x = x0;
  cols.forEach((c, i) => {
    doc.fillColor(INK).text(c.header, x + PAD, y + PAD, { width: widths[i] - 2 * PAD, align: c.align ?? 'left' });
    x += widths[i];
  });
  doc.y = y + h;
}

/** A table whose rows never split over a page; the header is repeated at the top of each page. */
export function drawTable<T>(doc: Doc, cols: PdfColumn<T>[], rows: T[]) {
  const x0 = doc.page.margins.left;
  const widths = columnWidths(doc, cols, rows);
  ensureRoom(doc, 48);
  drawHeader(doc, cols, widths, x0);
  rows.forEach((row, n) => {
    const h = Math.max(...cols.map((c, i) => cellHeight(doc, c, row, widths[i])));
    if (doc.y + h > bottomOf(doc)) {
      doc.addPage();
      drawHeader(doc, cols, widths, x0);
    }
    const y = doc.y;
    if (n % 2 === 1) doc.rect(x0, y, contentWidth(doc), h).fill('#f6f8fa');
    let x = x0;
    cols.forEach((c, i) => {
      const opts = { width: widths[i] - 2 * PAD, align: c.align ?? 'left' } as const;
      doc.font(c.bold ? FONT.condBold : FONT.cond).fontSize(SIZE).fillColor(INK).text(c.text(row) || '', x + PAD, y + PAD, opts);
      const sub = c.sub?.(row);
      if (sub) doc.font(FONT.cond).fontSize(SUB).fillColor(MUTED).text(sub, x + PAD, doc.y + 1, opts);
      x += widths[i];
    });
    doc.moveTo(x0, y + h).lineTo(x0 + contentWidth(doc), y + h).lineWidth(0.5).strokeColor(RULE).stroke();
    doc.y = y + h;
  });
  doc.x = x0;
  doc.fillColor(INK);
}

/** "Sida i av N" (and a line of who made it) at the foot of every page, once all pages exist. */
export function pageNumbers(doc: Doc, label: (i: number, n: number) => string, left: string) {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    // Text below the bottom margin would start a new page: the footer lies in the margin.
    doc.page.margins.bottom = 0;
    const y = doc.page.height - 36;
    const x = doc.page.margins.left;
    doc.moveTo(x, y - 6).lineTo(x + contentWidth(doc), y - 6).lineWidth(0.5).strokeColor(RULE).stroke();
    doc.font(FONT.regular).fontSize(8).fillColor(MUTED);
    doc.text(left, x, y, { width: contentWidth(doc) * 0.7, lineBreak: false });
    doc.text(label(i - range.start + 1, range.count), x, y, { width: contentWidth(doc), align: 'right', lineBreak: false });
    doc.page.margins.bottom = bottom;
  }
}
