/** Förnyelser: licences ending within the horizon, peak use, recommended seats and the saving, largest saving first. */
import { useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import { clean, queries } from '../api/queries.ts';
import type { RenewalRow } from '../api/types.ts';
import { useReportApplied } from '../appliedFilters.tsx';
import { Badge } from '../components/Badge.tsx';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { DaysLeft } from '../components/DaysLeft.tsx';
import { KpiCard } from '../components/KpiCard.tsx';
import { PartialBadge } from '../components/PartialBadge.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { SeatMovesPanel } from '../components/SeatMovesPanel.tsx';
import { RenewalPackDownloads } from '../components/RenewalPackDownloads.tsx';
import { Empty, QueryView, Updating } from '../components/States.tsx';
import { readNumber } from '../filters.ts';
import { help } from '../explain.ts';
import { useI18n } from '../i18n/index.tsx';
import { useFilters } from '../useFilters.ts';
import { useReference } from '../useReference.ts';

const HORIZONS = [30, 60, 90, 180, 365];

export default function RenewalsPage() {
  const { t, f, lang } = useI18n();
  const id = useId();
  const { filters, search, setParam } = useFilters();
  const ref = useReference();
  const within = readNumber(search, 'within', 90, 0, 3660);
  const params = { asOf: filters.asOf, within, school: filters.school, product: filters.product };
  const q = useQuery(queries.renewals(params));
  useReportApplied(q.data?.params);

  const columns: Column<RenewalRow>[] = [
    { id: 'licence', header: t('col.licence'), value: (r) => r.productName ?? ref.productName(r.product), rowHeader: true,
      cell: (r) => (<><span className="cell-main">{r.productName ?? ref.productName(r.product)}</span><span className="cell-sub">{r.licence}</span><PartialBadge reach={r.reach} /></>) },
    { id: 'buyer', header: t('col.buyer'), value: (r) => r.buyer },
    { id: 'end', header: t('col.end'), value: (r) => r.daysToExpiry, firstDir: 'asc', cell: (r) => <DaysLeft end={r.end} days={r.daysToExpiry} /> },
    { id: 'seats', header: t('col.seats'), value: (r) => r.seats, align: 'right', cell: (r) => (r.seats === null ? t('common.unlimited') : f.number(r.seats)) },
    { id: 'peak', header: t('col.peak'), value: (r) => r.peak, align: 'right', cell: (r) => f.number(r.peak) },
    { id: 'recommended', header: t('col.recommended'), value: (r) => r.recommendedSeats, align: 'right',
      cell: (r) => (r.seats !== null && r.recommendedSeats !== null && r.recommendedSeats < r.seats
        ? <span className="change"><span className="muted"><s>{f.number(r.seats)}</s> → </span><strong>{f.number(r.recommendedSeats)}</strong></span>
        : f.number(r.recommendedSeats)) },
    { id: 'saving', header: t('col.saving'), value: (r) => r.projectedSaving, align: 'right', cell: (r) => <strong>{f.money(r.projectedSaving, r.currency)}</strong> },
    // Over-use is money needed, shown apart from the saving: never netted against it.
    { id: 'seatsMissing', header: t('col.seatsMissing'), value: (r) => r.seatsMissing ?? 0, align: 'right',
      cell: (r) => (r.overused
        ? <span className="change"><Badge tone="danger" help={help('status.overused', lang)} label={t('status.overused')}>{t('status.overused')}</Badge> <strong>{f.number(r.seatsMissing ?? 0)}</strong></span>
        : r.seatsMissing === null ? '–' : f.number(r.seatsMissing)) },
    { id: 'missingCost', header: t('col.missingCost'), value: (r) => r.missingCost ?? 0, align: 'right',
      cell: (r) => (r.missingCost ? <strong>{f.money(r.missingCost, r.currency)}</strong> : r.missingCost === null ? '–' : f.money(0, r.currency)) },
    { id: 'price', header: t('col.price'), value: (r) => r.price, align: 'right', cell: (r) => f.money(r.price, r.currency) },
  ];

  const controls = (
    <div className="field field-inline">
      <label htmlFor={`${id}-within`}>{t('renewals.within')}</label>
      <select id={`${id}-within`} value={within} onChange={(e) => setParam('within', Number(e.target.value) === 90 ? null : e.target.value)}>
        {[...new Set([...HORIZONS, within])].sort((a, b) => a - b).map((d) => <option key={d} value={d}>{t('common.days', { n: d })}</option>)}
      </select>
    </div>
  );

  return (
    <>
      <PageHeader title={t('renewals.title')} lead={t('renewals.lead', { within, asOf: f.date(filters.asOf) })} aside={<Updating active={q.isPlaceholderData} />} />
      <QueryView query={q} what="what.renewals">
        {(data) => {
          const saving = data.rows.reduce((s, r) => s + (r.projectedSaving ?? 0), 0);
          const needed = data.rows.reduce((s, r) => s + (r.missingCost ?? 0), 0);
          const overused = data.rows.filter((r) => r.overused).length;
          return (
            <>
              <section className="kpis kpis-2" aria-label={t('renewals.title')}>
                <KpiCard id="saving" label={t('renewals.total')} value={f.money(saving)} hint={t('renewals.count', { n: f.number(data.rows.length) })} />
                <KpiCard id="needed" label={t('renewals.needed')} value={f.money(needed)} tone={overused ? 'alert' : undefined}
                  hint={t('renewals.overusedCount', { n: f.number(overused) })} />
              </section>
              <DataTable
                id="renewals"
                title={t('renewals.title')}
                columns={columns}
                rows={data.rows}
                rowKey={(r) => r.licence}
                initialSort={{ key: 'saving', dir: 'desc' }}
                csv={{ report: 'renewals', params: clean(params) }}
                toolbar={controls}
                empty={<Empty>{t('empty.renewals', { within, asOf: f.date(filters.asOf) })}</Empty>}
                busy={q.isPlaceholderData}
              />
              <SeatMovesPanel params={{ asOf: filters.asOf, school: filters.school, product: filters.product }} />
              <RenewalPackDownloads params={clean(params)} school={filters.school} />
            </>
          );
        }}
      </QueryView>
    </>
  );
}
