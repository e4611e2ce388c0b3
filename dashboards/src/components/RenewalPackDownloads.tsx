/**
 * The renewal pack of one buyer (or all) as PDF or Excel, with the Förnyelser page's own
 * parameters (as of, horizon, school, product): the document the buyer gets before renewal.
 */
import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { downloadFile, type Params } from '../api/client.ts';
import { queries } from '../api/queries.ts';
import { useI18n } from '../i18n/index.tsx';
import { errorText } from './States.tsx';

export function RenewalPackDownloads({ params, school }: { params: Params; school?: string }) {
  const { t, lang } = useI18n();
  const id = useId();
  const buyers = useQuery(queries.packBuyers(school));
  const [buyer, setBuyer] = useState('');
  const [busy, setBusy] = useState<'pdf' | 'xlsx' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const slug = (s: string) => s.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  async function run(format: 'pdf' | 'xlsx') {
    setBusy(format);
    setError(null);
    try {
      const name = `licenskoll-${lang === 'sv' ? 'fornyelseunderlag' : 'renewal-pack'}-${buyer ? slug(buyer) : lang === 'sv' ? 'alla' : 'all'}-${params.asOf ?? ''}.${format}`;
      await downloadFile('/v1/reports/renewal-pack', { ...params, ...(buyer ? { buyer } : {}) }, format, name, lang);
    } catch (e) {
      setError(t('table.csvFailed', { message: errorText(t, e) }));
    } finally {
      setBusy(null);
    }
  }
  return (
    <section className="panel" aria-labelledby={`${id}-title`} data-pack="">
      <div className="panel-head"><h2 id={`${id}-title`}>{t('pack.title')}</h2></div>
      <p className="hint">{t('pack.lead', { within: String(params.within ?? 90) })}</p>
      <div className="pack">
        <div className="field">
          <label htmlFor={`${id}-buyer`}>{t('pack.buyer')}</label>
          <select id={`${id}-buyer`} value={buyer} onChange={(e) => setBuyer(e.target.value)}>
            <option value="">{t('pack.allBuyers')}</option>
            {(buyers.data?.rows ?? []).map((b) => <option key={b.buyer} value={b.buyer}>{b.buyer}</option>)}
          </select>
        </div>
        <span className="downloads" role="group" aria-label={t('pack.title')}>
          {(['pdf', 'xlsx'] as const).map((format) => (
            <button key={format} type="button" className="btn btn-secondary" data-pack-format={format} disabled={busy !== null}
              title={t(format === 'pdf' ? 'pack.pdfHint' : 'pack.xlsxHint')} onClick={() => run(format)}>
              {busy === format ? t('table.csvBusy') : t(format === 'pdf' ? 'pack.pdf' : 'pack.xlsx')}
            </button>
          ))}
        </span>
      </div>
      {error && <p className="csv-error" role="alert">{error}</p>}
    </section>
  );
}
