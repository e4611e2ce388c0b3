/** Oanvänt: licences nobody used in the window, and those used below the threshold, with what they cost. */
import { useQuery } from '@tanstack/react-query';
import { useId, useMemo } from 'react';
import { clean, queries } from '../api/queries.ts';
import type { UnusedRow } from '../api/types.ts';
import { useReportApplied } from '../appliedFilters.tsx';
import { Badge } from '../components/Badge.tsx';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { KpiCard } from '../components/KpiCard.tsx';
import { licenceColumns } from '../components/licenceColumns.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { Empty, QueryView, Updating } from '../components/States.tsx';
import { readNumber } from '../filters.ts';
import { help } from '../explain.ts';
import { useI18n } from '../i18n/index.tsx';
import { useFilters } from '../useFilters.ts';
import { useReference } from '../useReference.ts';

const WINDOWS = [14, 30, 60, 90];
const THRESHOLDS = [0.25, 0.5, 0.75];

export default function UnusedPage() {
  const { t, f, lang } = useI18n();
  const id = useId();
  const { filters, search, setParam } = useFilters();
  const ref = useReference();
  const days = readNumber(search, 'days', 30, 1, 366);
  const threshold = readNumber(search, 'threshold', 0.5, 0, 1);
  const params = { asOf: filters.asOf, days, threshold, school: filters.school, product: filters.product };
  const q = useQuery(queries.unused(params));
  useReportApplied(q.data?.params);

  const columns = useMemo<Column<UnusedRow>[]>(() => {
    const base = licenceColumns<UnusedRow>(t, f, ref).filter((c) => c.id !== 'price' && c.id !== 'costPerActive');
    const status: Column<UnusedRow> = {
      id: 'status', header: t('col.status'), value: (r) => (r.status === 'unused' ? 0 : 1), firstDir: 'asc',
      cell: (r) => (r.status === 'unused'
        ? <Badge tone="danger" help={help('status.unused', lang)} label={t('status.unused')}>{t('status.unused')}</Badge>
        : <Badge tone="warn" help={help('status.underused', lang)} label={t('status.underused')}>{t('status.underused')}</Badge>),
    };
    return [base[0], status, ...base.slice(1)];
  }, [t, f, ref]);

  const controls = (
    <>
      <div className="field field-inline">
        <label htmlFor={`${id}-days`}>{t('unused.days')}</label>
        <select id={`${id}-days`} value={days} onChange={(e) => setParam('days', Number(e.target.value) === 30 ? null : e.target.value)}>
          {[...new Set([...WINDOWS, days])].sort((a, b) => a - b).map((d) => <option key={d} value={d}>{t('common.days', { n: d })}</option>)}
        </select>
      </div>
      <div className="field field-inline">
        <label htmlFor={`${id}-thr`}>{t('unused.threshold')}</label>
        <select id={`${id}-thr`} value={threshold} onChange={(e) => setParam('threshold', Number(e.target.value) === 0.5 ? null : e.target.value)}>
          {[...new Set([...THRESHOLDS, threshold])].sort((a, b) => a - b).map((v) => <option key={v} value={v}>{f.percent(v)}</option>)}
        </select>
      </div>
    </>
  );

  return (
    <>
      <PageHeader
        title={t('unused.title')}
        lead={t('unused.lead', { asOf: f.date(filters.asOf), days, pct: f.percent(threshold) })}
        aside={<Updating active={q.isPlaceholderData} />}
      />
      <QueryView query={q} what="what.unused">
        {(data) => {
          const unused = data.rows.filter((r) => r.status === 'unused');
          const total = data.rows.reduce((s, r) => s + (r.unusedCost ?? (r.status === 'unused' ? r.price : 0)), 0);
          return (
            <>
              <section className="kpis kpis-2" aria-label={t('unused.title')}>
                <KpiCard id="unusedTotal" label={t('unused.total')} value={f.money(total)} tone={total > 0 ? 'alert' : 'plain'}
                  hint={t('unused.count', { unused: f.number(unused.length), underused: f.number(data.rows.length - unused.length) })} />
              </section>
              <DataTable
                id="unused"
                title={t('unused.title')}
                columns={columns}
                rows={data.rows}
                rowKey={(r) => r.licence}
                initialSort={{ key: 'unusedCost', dir: 'desc' }}
                csv={{ report: 'unused', params: clean(params) }}
                toolbar={controls}
                empty={<Empty>{t('empty.unused', { asOf: f.date(filters.asOf) })}</Empty>}
                busy={q.isPlaceholderData}
              />
            </>
          );
        }}
      </QueryView>
    </>
  );
}
