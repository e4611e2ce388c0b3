/**
 * Regionen: what a region admin or analyst sees (docs/tenants.md, docs/privacy.md "The
 * region"): per organiser its licences, cost and unused cost (figure 17), and per joint
 * procurement each participant's call-offs, used and unused seats and unused SEK (figure 27).
 * Nothing below an organiser: no school unit, class or person is in any answer it reads.
 */
import { useQuery } from '@tanstack/react-query';
import { queries } from '../api/queries.ts';
import type { AgreementsAnswer, OrganiserAgreementLine, RegionAggregatesAnswer, RegionUnmappedRow } from '../api/types.ts';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { Empty, QueryView } from '../components/States.tsx';
import { todayInStockholm } from '../format.ts';
import { useI18n } from '../i18n/index.tsx';
import { schoolYear, schoolYearOf } from '../periods.ts';

type OrganiserRow = RegionAggregatesAnswer['rows'][number];

export function RegionPage() {
  const { t, f } = useI18n();
  const today = todayInStockholm();
  const period = { from: schoolYear(schoolYearOf(today)).from, to: today };
  const aggregates = useQuery(queries.regionAggregates(period));
  const agreements = useQuery(queries.regionAgreements());
  const columns: Column<OrganiserRow>[] = [
    { id: 'regionOrganiser', header: t('region.organiser'), value: (r) => r.organiser.name, rowHeader: true, help: null },
    { id: 'regionProducts', header: t('region.products'), value: (r) => r.products.length, align: 'right', help: null, cell: (r) => f.number(r.products.length) },
    { id: 'regionLicences', header: t('col.licences'), value: (r) => r.totals.licences, align: 'right', help: null, cell: (r) => f.number(r.totals.licences) },
    { id: 'regionCost', header: t('col.cost'), value: (r) => r.totals.cost, align: 'right', help: null, cell: (r) => f.money(r.totals.cost) },
    { id: 'regionUnused', header: t('col.unusedCost'), value: (r) => r.totals.unusedCost, align: 'right', help: null, cell: (r) => <strong>{f.money(r.totals.unusedCost)}</strong> },
    { id: 'regionUnusedShare', header: t('region.unusedShare'), value: (r) => (r.totals.cost ? r.totals.unusedCost / r.totals.cost : null), align: 'right', help: null,
      cell: (r) => f.percent(r.totals.cost ? r.totals.unusedCost / r.totals.cost : null) },
  ];
  return (
    <>
      <PageHeader title={t('region.title')} lead={t('region.lead', { from: f.date(period.from), to: f.date(period.to) })} />
      <QueryView query={aggregates} what="what.region">
        {(data) => (
          <DataTable id="region-organisers" title={t('region.organisers')} columns={columns} rows={data.rows} rowKey={(r) => r.organiser.id}
            initialSort={{ key: 'regionUnused', dir: 'desc' }} empty={<Empty>{t('region.none')}</Empty>} />
        )}
      </QueryView>
      <QueryView query={agreements} what="what.agreements">
        {(data) => (data.rows.length ? <>{data.rows.map((a) => <AgreementTable key={a.id} agreement={a} />)}</> : <Empty>{t('region.noAgreements')}</Empty>)}
      </QueryView>
      <UnmappedTable />
    </>
  );
}

function AgreementTable({ agreement }: { agreement: AgreementsAnswer['rows'][number] }) {
  const { t, f } = useI18n();
  const q = useQuery(queries.regionAgreement(agreement.id));
  const blank = (v: number | null, r: OrganiserAgreementLine) => (v === null ? <span className="muted">{r.suppressed ? t('region.fewer') : '–'}</span> : f.number(v));
  const columns: Column<OrganiserAgreementLine>[] = [
    { id: 'agreementOrganiser', header: t('region.organiser'), value: (r) => r.organiser.name, rowHeader: true, help: null },
    { id: 'agreementCallOffs', header: t('region.callOffs'), value: (r) => r.callOffs, align: 'right', help: null, cell: (r) => f.number(r.callOffs) },
    { id: 'agreementSeats', header: t('col.seats'), value: (r) => r.seats, align: 'right', help: null, cell: (r) => (r.seats === null ? t('region.unlimited') : f.number(r.seats)) },
    { id: 'agreementUsed', header: t('region.used'), value: (r) => r.used, align: 'right', help: null, cell: (r) => blank(r.used, r) },
    { id: 'agreementUnusedSeats', header: t('region.unusedSeats'), value: (r) => r.unusedSeats, align: 'right', help: null, cell: (r) => blank(r.unusedSeats, r) },
    { id: 'agreementUnusedSek', header: t('col.unusedCost'), value: (r) => r.unusedSek, align: 'right', help: null,
      cell: (r) => (r.unusedSek === null ? blank(null, r) : <strong>{f.money(r.unusedSek, agreement.currency)}</strong>) },
  ];
  const total = q.data?.total;
  return (
    <QueryView query={q} what="what.agreements">
      {(data) => (
        <DataTable id={`agreement-${agreement.id}`} title={agreement.name} columns={columns} rows={data.rows} rowKey={(r) => r.organiser.id}
          initialSort={{ key: 'agreementUnusedSek', dir: 'desc' }}
          summary={<p>{t('region.agreementTerms', { supplier: agreement.supplier || '–', price: f.money(agreement.pricePerSeat, agreement.currency), from: f.date(agreement.start), to: f.date(agreement.end) })}
            {total && ' '}{total && t('region.agreementTotal', {
              seats: total.seats === null ? t('region.unlimited') : f.number(total.seats),
              used: total.used === null ? t('region.fewer') : f.number(total.used),
              unused: total.unusedSek === null ? '–' : f.money(total.unusedSek, agreement.currency),
            })}</p>} />
      )}
    </QueryView>
  );
}

/** Identifiers events carry that no product maps, once each with how many organisers see them: what the shared catalogue lacks. */
function UnmappedTable() {
  const { t, f } = useI18n();
  const q = useQuery(queries.regionUnmapped());
  const columns: Column<RegionUnmappedRow>[] = [
    { id: 'unmappedIdentifier', header: t('region.identifier'), value: (r) => r.identifier, rowHeader: true, help: null, cell: (r) => <code>{r.identifier}</code> },
    { id: 'unmappedOrganisers', header: t('region.seenBy'), value: (r) => r.organisers, align: 'right', help: null, cell: (r) => f.number(r.organisers) },
    { id: 'unmappedEvents', header: t('col.events'), value: (r) => r.events, align: 'right', help: null, cell: (r) => f.number(r.events) },
    { id: 'unmappedLast', header: t('region.lastSeen'), value: (r) => r.lastDay, help: null, cell: (r) => f.date(r.lastDay) },
  ];
  return (
    <QueryView query={q} what="what.region">
      {(data) => (
        <DataTable id="region-unmapped" title={t('region.unmapped')} columns={columns} rows={data.rows} rowKey={(r) => r.identifier}
          initialSort={{ key: 'unmappedOrganisers', dir: 'desc' }} summary={<p>{t('region.unmappedLead')}</p>} empty={<Empty>{t('region.noUnmapped')}</Empty>} />
      )}
    </QueryView>
  );
}
