/**
 * Utan licens: demand without a licence (docs/figures.md, figure 15), per product (with the
 * products nobody bought marked), per school unit and per class, with refused launches
 * beside; one CSV/Excel download of all three levels from the API's answer formats.
 */
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { clean, queries } from '../api/queries.ts';
import type { UnlicensedRow } from '../api/types.ts';
import { useReportApplied } from '../appliedFilters.tsx';
import { Badge } from '../components/Badge.tsx';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { Empty, QueryView, Updating } from '../components/States.tsx';
import { useI18n } from '../i18n/index.tsx';
import { useFilters } from '../useFilters.ts';

export default function UnlicensedPage() {
  const { t, f } = useI18n();
  const { filters } = useFilters();
  const params = { from: filters.from, to: filters.to, school: filters.school, product: filters.product };
  const q = useQuery(queries.unlicensed(params));
  useReportApplied(q.data?.params);

  const counts: Column<UnlicensedRow>[] = useMemo(() => [
    { id: 'persons', header: t('col.unlicensedPersons'), value: (r) => r.persons, align: 'right', cell: (r) => (r.suppressed ? <span className="muted">{t('unlicensed.suppressed')}</span> : f.number(r.persons)) },
    { id: 'days', header: t('col.unlicensedDays'), value: (r) => r.days, align: 'right', cell: (r) => f.number(r.days) },
    { id: 'events', header: t('col.events'), value: (r) => r.events, align: 'right', cell: (r) => f.number(r.events) },
    { id: 'denied', header: t('col.denied'), value: (r) => r.deniedEvents, align: 'right', cell: (r) => f.number(r.deniedEvents) },
  ], [t, f]);
  const product: Column<UnlicensedRow> = {
    id: 'product', header: t('col.product'), value: (r) => r.productName, rowHeader: true,
    cell: (r) => (<><span className="cell-main">{r.productName}</span>{!r.licensed && <Badge tone="warn">{t('unlicensed.shadow')}</Badge>}</>),
  };
  const school: Column<UnlicensedRow> = { id: 'school', header: t('col.school'), value: (r) => r.schoolName };
  const group: Column<UnlicensedRow> = { id: 'group', header: t('col.class'), value: (r) => r.groupName, cell: (r) => (<><span className="cell-main">{r.groupName}</span><span className="cell-sub">{r.schoolName}</span></>) };

  return (
    <>
      <PageHeader title={t('unlicensed.title')} lead={t('unlicensed.lead')} aside={<Updating active={q.isPlaceholderData} />} />
      <QueryView query={q} what="what.unlicensed">
        {(data) => {
          const at = (level: UnlicensedRow['level']) => data.rows.filter((r) => r.level === level);
          const shadow = at('product').filter((r) => !r.licensed).length;
          if (data.rows.length === 0) return <Empty>{t('empty.unlicensed')}</Empty>;
          const csv = { report: 'unlicensed' as const, params: clean(params) };
          return (
            <>
              {shadow > 0 && <div className="notice" role="status" data-shadow={shadow}><Badge tone="warn">{t('unlicensed.shadow')}</Badge> {t('unlicensed.shadowCount', { n: f.number(shadow) })}</div>}
              <DataTable id="unlicensed-products" title={t('unlicensed.products')} columns={[product, ...counts]} rows={at('product')} rowKey={(r) => r.product}
                initialSort={{ key: 'persons', dir: 'desc' }} csv={csv} busy={q.isPlaceholderData} />
              <DataTable id="unlicensed-schools" title={t('unlicensed.schools')} columns={[school, product, ...counts]} rows={at('school')} rowKey={(r) => `${r.school}|${r.product}`}
                initialSort={{ key: 'persons', dir: 'desc' }} busy={q.isPlaceholderData} />
              <DataTable id="unlicensed-classes" title={t('unlicensed.classes')} columns={[group, product, ...counts]} rows={at('class')} rowKey={(r) => `${r.group}|${r.product}`}
                initialSort={{ key: 'persons', dir: 'desc' }} pageSize={60} busy={q.isPlaceholderData} />
            </>
          );
        }}
      </QueryView>
    </>
  );
}
