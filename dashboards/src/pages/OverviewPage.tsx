/** Översikt: what the licences cost, how much is unused, what an active pupil costs, per product, and the weekly trend. */
import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense } from 'react';
import { clean, queries } from '../api/queries.ts';
import type { OverviewReport, OverviewRow } from '../api/types.ts';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { PeersPanel } from '../components/PeersPanel.tsx';
import { KpiCard } from '../components/KpiCard.tsx';
import { FlagsLink } from '../components/FlagsLink.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { Empty, Loading, QueryView, Updating } from '../components/States.tsx';
import { UtilisationBar } from '../components/UtilisationBar.tsx';
import { useI18n } from '../i18n/index.tsx';
import { useReportApplied } from '../appliedFilters.tsx';
import { useFilters } from '../useFilters.ts';
import { hrefWithFilters, navigate, useLocation } from '../router.ts';

// Requested as soon as this page's chunk runs, in parallel with the report, not after it.
const chartChunk = import('../charts/WeeklyActiveChart.tsx');
const WeeklyActiveChart = lazy(() => chartChunk);

export default function OverviewPage() {
  const { t } = useI18n();
  const { filters } = useFilters();
  const params = { from: filters.from, to: filters.to, school: filters.school, product: filters.product };
  const q = useQuery(queries.overview(params));
  useReportApplied(q.data?.params);
  return (
    <>
      <PageHeader title={t('overview.title')} lead={t('overview.lead')} aside={<Updating active={q.isPlaceholderData} />} />
      <FlagsLink />
      <QueryView query={q} what="what.overview">
        {(data) => <OverviewBody data={data} params={params} busy={q.isPlaceholderData} />}
      </QueryView>
    </>
  );
}

/** Every licence of the product also covers units outside the school filter: its seats are not the selection's. */
const allPartial = (r: OverviewRow) => !!r.partialLicences && r.partialLicences >= r.licences;

/** The way from the first page to the decisions: the action list (Att besluta), with the shared filters. */
function ActionsLink() {
  const { t } = useI18n();
  const { search } = useLocation();
  const href = hrefWithFilters('/actions', search);
  return (
    <p className="notice" data-testid="actions-link">
      <a href={href} onClick={(e) => { e.preventDefault(); navigate(href); }}>{t('overview.actionsLink')} →</a>
    </p>
  );
}

function OverviewBody({ data, params, busy }: { data: OverviewReport; params: { from: string; to: string; product?: string }; busy: boolean }) {
  const { t, f } = useI18n();
  const { totals, rows, series } = data;
  const licences = rows.reduce((s, r) => s + (r.licences ?? 0), 0);
  const unusedShare = totals.cost > 0 ? totals.unusedCost / totals.cost : null;

  const columns: Column<OverviewRow>[] = [
    {
      id: 'name', header: t('col.product'), value: (r) => r.name || r.product, rowHeader: true,
      cell: (r) => (
        <>
          <span className="cell-main">{r.name || r.product}</span>
          {r.partialLicences ? <span className="cell-sub" title={t('reach.partialHint')}>{t('overview.partialLicences', { n: r.partialLicences })}</span> : null}
        </>
      ),
    },
    { id: 'licences', header: t('col.licences'), value: (r) => r.licences, align: 'right', cell: (r) => f.number(r.licences) },
    {
      id: 'seats', header: t('col.seats'), value: (r) => r.seats, align: 'right',
      cell: (r) => (<>
        <span className="cell-main">{r.licences === 0 || allPartial(r) ? f.number(null) : r.seats === null ? t('common.unlimited') : f.number(r.seats)}</span>
        {r.targetSize !== null && r.targetSize !== undefined && <span className="cell-sub" data-testid="target-size">{t('target.forPupils', { n: f.number(r.targetSize) })}</span>}
        {(r.outsideTarget ?? 0) > 0 && <span className="cell-sub">{t('target.outsideUsers', { n: f.number(r.outsideTarget ?? 0) })}</span>}
      </>),
    },
    { id: 'activeUsers', header: t('col.activeUsers'), value: (r) => r.activeUsers, align: 'right', cell: (r) => f.number(r.activeUsers) },
    { id: 'utilisation', header: t('col.utilisation'), value: (r) => r.utilisation, firstDir: 'asc', cell: (r) => <UtilisationBar share={r.utilisation} fallback={r.licences === 0 ? t('common.noLicence') : allPartial(r) ? t('reach.partial') : r.seats === null ? t('common.unlimited') : undefined} /> },
    { id: 'cost', header: t('col.cost'), value: (r) => r.cost, align: 'right', cell: (r) => f.money(r.cost) },
    { id: 'unusedCost', header: t('col.unusedCost'), value: (r) => r.unusedCost, align: 'right', cell: (r) => <strong>{f.money(r.unusedCost)}</strong> },
  ];

  return (
    <>
      {totals.events === 0 && <div className="notice notice-warn" role="status">{t('empty.events')}</div>}
      <ActionsLink />
      <section className="kpis" aria-label={t('overview.title')}>
        <KpiCard
          id="cost"
          label={t('kpi.cost')}
          value={f.money(totals.cost)}
          hint={totals.wholePrice !== undefined && totals.wholePrice !== totals.cost
            ? t('kpi.costShareHint', { n: f.number(licences), whole: f.money(totals.wholePrice) })
            : t('kpi.costHint', { n: f.number(licences) })}
        />
        <KpiCard
          id="unusedCost"
          label={t('kpi.unusedCost')}
          value={f.money(totals.unusedCost)}
          tone={unusedShare !== null && unusedShare >= 0.25 ? 'alert' : 'plain'}
          hint={unusedShare === null ? undefined : t('kpi.unusedShare', { pct: f.percent(unusedShare) })}
        />
        <KpiCard
          id="costPerActive"
          label={t('kpi.costPerActive')}
          value={f.money(totals.costPerActiveUser)}
          hint={totals.licensedActive > 0 ? t('kpi.costPerActiveHint', { n: f.number(totals.licensedActive) }) : t('kpi.costPerActiveNone')}
        />
        <KpiCard id="activeUsers" label={t('kpi.activeUsers')} value={f.number(totals.activeUsers)} hint={t('kpi.activeHint', { n: f.number(totals.events) })} />
      </section>

      <DataTable
        id="overview-products"
        title={t('overview.products')}
        columns={columns}
        rows={rows}
        rowKey={(r) => r.product}
        initialSort={{ key: 'unusedCost', dir: 'desc' }}
        csv={{ report: 'overview', params: clean(params) }}
        empty={<Empty>{t('empty.licences')}</Empty>}
        busy={busy}
        footer={
          rows.length > 1 ? (
            <tr className="total-row">
              <th scope="row">{t('table.total')}</th>
              <td className="num">{f.number(licences)}</td>
              <td className="num" />
              <td className="num">{f.number(totals.activeUsers)}</td>
              <td />
              <td className="num">{f.money(totals.cost)}</td>
              <td className="num"><strong>{f.money(totals.unusedCost)}</strong></td>
            </tr>
          ) : undefined
        }
      />

      <section className="panel" aria-labelledby="trend-title">
        <div className="panel-head"><h2 id="trend-title">{t('overview.trend')}</h2></div>
        {series.length === 0 || series.every((p) => p.activeUsers === 0) ? (
          <Empty>{t('empty.series')}</Empty>
        ) : (
          <>
            <Suspense fallback={<Loading what="what.chart" rows={2} />}>
              <WeeklyActiveChart series={series} />
            </Suspense>
            <details className="chart-table">
              <summary>{t('overview.trendTable')}</summary>
              <table className="data-table compact">
                <thead><tr><th scope="col">{t('col.week')}</th><th scope="col" className="num">{t('col.activeUsers')}</th></tr></thead>
                <tbody>{series.map((p) => <tr key={p.week}><td>{f.date(p.week)}</td><td className="num">{f.number(p.activeUsers)}</td></tr>)}</tbody>
              </table>
            </details>
          </>
        )}
      </section>
      <PeersPanel from={params.from} to={params.to} product={params.product} />
    </>
  );
}
