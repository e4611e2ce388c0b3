/** Rows as CSV (RFC 4180, UTF-8 with BOM so Excel in Sweden opens it right). Nested values flatten readably. */
export function toCsv(rows: Record<string, unknown>[], columns?: string[]): string {
  const cols = columns ?? [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cell = (v: unknown): string => {
    if (v === null || v === undefined) return '';
    let s: string;
    if (Array.isArray(v)) s = v.join('|');
    else if (typeof v === 'object') {
      const o = v as Record<string, unknown>;
      s = 'type' in o && 'ids' in o ? `${o.type}:${(o.ids as string[]).join('|')}` : JSON.stringify(v);
    } else s = String(v);
    // A leading = + - @ would be run as a formula by spreadsheet programs.
    if (/^[=+@]/.test(s) || (/^-/.test(s) && Number.isNaN(Number(s)))) s = `'${s}`;
    return /[",\n\r;]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  return `\uFEFF${[cols.join(','), ...rows.map((r) => cols.map((c) => cell(r[c])).join(','))].join('\r\n')}\r\n`;
}
