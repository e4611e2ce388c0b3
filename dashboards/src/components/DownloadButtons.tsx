/**
 * Downloads a report with exactly the parameters the table on screen was fetched with: as CSV
 * for machines, as CSV for Swedish Excel (semicolons, decimal comma) or as an Excel workbook.
 */
import { useState } from 'react';
import { downloadFile, fileName, type FileFormat, type Params } from '../api/client.ts';
import { REPORT_PATHS, type ReportName } from '../api/queries.ts';
import { useI18n } from '../i18n/index.tsx';
import type { MessageKey } from '../i18n/sv.ts';
import { errorText } from './States.tsx';

const LABELS: Record<Exclude<FileFormat, 'pdf'>, MessageKey> = { xlsx: 'table.xlsx', 'csv-excel': 'table.csvExcel', csv: 'table.csv' };
const HINTS: Record<Exclude<FileFormat, 'pdf'>, MessageKey> = { xlsx: 'table.xlsxHint', 'csv-excel': 'table.csvExcelHint', csv: 'table.csvHint' };

export function DownloadButtons({ report, params, path }: { report: ReportName; params: Params; path?: string }) {
  const { t, lang } = useI18n();
  const [busy, setBusy] = useState<FileFormat | null>(null);
  const [error, setError] = useState<string | null>(null);
  const slug = report.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  async function run(format: FileFormat) {
    setBusy(format);
    setError(null);
    try {
      await downloadFile(path ?? REPORT_PATHS[report], params, format, fileName(slug, params, format), lang);
    } catch (e) {
      setError(t('table.csvFailed', { message: errorText(t, e) }));
    } finally {
      setBusy(null);
    }
  }
  return (
    <span className="csv">
      <span className="downloads" role="group" aria-label={t('table.downloads')}>
        {(['xlsx', 'csv-excel', 'csv'] as const).map((format) => (
          <button key={format} type="button" className="btn btn-secondary" onClick={() => run(format)} disabled={busy !== null} title={t(HINTS[format])}
            aria-describedby={error ? `csv-err-${slug}` : undefined} data-csv={format === 'csv' ? slug : undefined} data-format={format}>
            <svg aria-hidden="true" width="14" height="14" viewBox="0 0 16 16"><path d="M8 1v9m0 0L4.5 6.5M8 10l3.5-3.5M2 12v2h12v-2" fill="none" stroke="currentColor" strokeWidth="1.6" /></svg>
            {busy === format ? t('table.csvBusy') : t(LABELS[format])}
          </button>
        ))}
      </span>
      {error && <span id={`csv-err-${slug}`} className="csv-error" role="alert">{error}</span>}
    </span>
  );
}
