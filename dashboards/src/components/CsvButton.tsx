/** Downloads a report as CSV with exactly the parameters the table on screen was fetched with. */
import { useState } from 'react';
import { csvFilename, downloadCsv, type Params } from '../api/client.ts';
import { REPORT_PATHS, type ReportName } from '../api/queries.ts';
import { useI18n } from '../i18n/index.tsx';
import { errorText } from './States.tsx';

export function CsvButton({ report, params, label }: { report: ReportName; params: Params; label?: string }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const slug = report.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  async function run() {
    setBusy(true);
    setError(null);
    try {
      await downloadCsv(REPORT_PATHS[report], params, csvFilename(slug, params));
    } catch (e) {
      setError(t('table.csvFailed', { message: errorText(t, e) }));
    } finally {
      setBusy(false);
    }
  }
  return (
    <span className="csv">
      <button type="button" className="btn btn-secondary" onClick={run} disabled={busy} aria-describedby={error ? `csv-err-${slug}` : undefined} data-csv={slug}>
        <svg aria-hidden="true" width="14" height="14" viewBox="0 0 16 16"><path d="M8 1v9m0 0L4.5 6.5M8 10l3.5-3.5M2 12v2h12v-2" fill="none" stroke="currentColor" strokeWidth="1.6" /></svg>
        {busy ? t('table.csvBusy') : label ?? t('table.csv')}
      </button>
      {error && <span id={`csv-err-${slug}`} className="csv-error" role="alert">{error}</span>}
    </span>
  );
}
