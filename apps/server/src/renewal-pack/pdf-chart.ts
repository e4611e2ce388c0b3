import { BRAND, FONT, INK, MUTED, RULE, type Doc, type NumberFormats } from './pdf-kit.ts';

/** The smallest of 1, 2, 5 × 10^k at or above `n` (an axis top a reader can take in). */
export function niceTop(n: number): number {
  if (n <= 1) return 1;
  const p = 10 ** Math.floor(Math.log10(n));
  return [1, 2, 5, 10].map((m) => m * p).find((m) => m >= n)!;
}

export interface ChartBox {
  x: number;
  y: number;
  w: number;
  h: number;
}

/**
 * One licence's weekly licensed active users as bars, drawn with pdfkit's own paths (no
 * picture: it stays sharp when printed, and its labels are text a reader can copy):
 * a title, the y axis from 0 to a round top, a bar per week, and the first, middle and
 * last Monday under the axis.
 */
export function weeklyChart(
  doc: Doc, box: ChartBox, title: string, sub: string, weeks: { week: string; licensedActive: number }[], f: NumberFormats, caption: string,
) {
  const { x, y, w } = box;
  doc.font(FONT.bold).fontSize(9).fillColor(INK).text(title, x, y, { width: w, lineBreak: false, ellipsis: true });
  doc.font(FONT.regular).fontSize(7).fillColor(MUTED).text(sub, x, y + 12, { width: w, lineBreak: false, ellipsis: true });
  const axisW = 26;
  const top = y + 26;
  const plotH = box.h - 26 - 30;
  const plotX = x + axisW;
  const plotW = w - axisW;
  const base = top + plotH;
  const max = weeks.reduce((m, p) => Math.max(m, p.licensedActive), 0);
  const yTop = niceTop(max);

  // Grid at 0, half and top; labels right-aligned against the plot.
  doc.lineWidth(0.5);
  for (const v of [0, yTop / 2, yTop]) {
    const gy = base - (v / yTop) * plotH;
    doc.moveTo(plotX, gy).lineTo(plotX + plotW, gy).strokeColor(v === 0 ? MUTED : RULE).stroke();
    if (v === Math.round(v)) doc.font(FONT.regular).fontSize(6.5).fillColor(MUTED).text(f.number(v), x, gy - 3.5, { width: axisW - 4, align: 'right', lineBreak: false });
  }
  const n = Math.max(1, weeks.length);
  const slot = plotW / n;
  const barW = Math.max(1, slot * 0.7);
  weeks.forEach((p, i) => {
    if (p.licensedActive <= 0) return;
    const bh = (p.licensedActive / yTop) * plotH;
    doc.rect(plotX + i * slot + (slot - barW) / 2, base - bh, barW, bh).fill(BRAND);
  });
  // Mondays under the first, middle and last bars.
  const marks = weeks.length ? [...new Set([0, Math.floor((weeks.length - 1) / 2), weeks.length - 1])] : [];
  doc.font(FONT.regular).fontSize(6.5).fillColor(MUTED);
  for (const i of marks) {
    const cx = plotX + i * slot + slot / 2;
    const label = f.date(weeks[i].week);
    const lw = 60;
    const first = i === 0;
    const last = i === weeks.length - 1 && !first;
    const lx = first ? plotX : last ? plotX + plotW - lw : cx - lw / 2;
    doc.text(label, lx, base + 3, { width: lw, align: first ? 'left' : last ? 'right' : 'center', lineBreak: false });
  }
  doc.font(FONT.regular).fontSize(7.5).fillColor(INK).text(caption, x, base + 14, { width: w, lineBreak: false, ellipsis: true });
  doc.fillColor(INK);
}
