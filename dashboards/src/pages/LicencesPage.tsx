/** Licenser: every licence with its utilisation, unused seats and their cost, buyer and days to expiry. */
import { useQuery } from '@tanstack/react-query';
import { useId, useMemo, useState } from 'react';
import type { LicenceRow } from '../api/types.ts';
import { TargetEditor } from '../components/TargetEditor.tsx';
import { clean, queries } from '../api/queries.ts';
import { DataTable } from '../components/DataTable.tsx';
import { FlagsLink } from '../components/FlagsLink.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { PeersPanel } from '../components/PeersPanel.tsx';
import { SeatMovesPanel } from '../components/SeatMovesPanel.tsx';
import { Empty, QueryView, Updating } from '../components/States.tsx';
import { licenceColumns } from '../components/licenceColumns.tsx';
import { useI18n } from '../i18n/index.tsx';
import { useReportApplied } from '../appliedFilters.tsx';
import { filterLicences, readShow, SHOW_OPTIONS } from '../licenceFilter.ts';
import { useFilters } from '../useFilters.ts';
import { useReference } from '../useReference.ts';

export default function LicencesPage() {
  const { t, f } = useI18n();
  const id = useId();
  const { filters, search, setParam } = useFilters();
  const ref = useReference();
  const params = { from: filters.from, to: filters.to, asOf: filters.asOf, school: filters.school, product: filters.product };
  const q = useQuery(queries.licences(params));
  useReportApplied(q.data?.params);
  const text = search.get('q') ?? '';
  const show = readShow(search.get('show'));
  const me = useQuery(queries.me());
  const canEdit = me.data?.role === 'admin' || me.data?.role === 'purchaser';
  const [editing, setEditing] = useState<LicenceRow | null>(null);
  const columns = useMemo(() => licenceColumns(t, f, ref, canEdit ? setEditing : undefined), [t, f, ref, canEdit]);

  const toolbar = (
    <>
      <div className="field field-inline">
        <label htmlFor={`${id}-q`}>{t('licences.search')}</label>
        <input id={`${id}-q`} type="search" value={text} onChange={(e) => setParam('q', e.target.value, { replace: true })} />
      </div>
      <div className="field field-inline">
        <label htmlFor={`${id}-show`}>{t('licences.show')}</label>
        <select id={`${id}-show`} value={show} onChange={(e) => setParam('show', e.target.value === 'all' ? null : e.target.value)}>
          {SHOW_OPTIONS.map((o) => <option key={o} value={o}>{t(`licences.show.${o}`)}</option>)}
        </select>
      </div>
    </>
  );

  return (
    <>
      <PageHeader title={t('licences.title')} lead={t('licences.lead')} aside={<Updating active={q.isPlaceholderData} />} />
      <FlagsLink />
      {editing && <TargetEditor key={editing.licence} row={editing} onClose={() => setEditing(null)} />}
      <QueryView query={q} what="what.licences">
        {(data) => {
          const rows = filterLicences(data.rows, text, show, ref.productName);
          const cost = rows.reduce((s, r) => s + (r.cost ?? r.price ?? 0), 0);
          const unused = rows.reduce((s, r) => s + (r.unusedCost ?? 0), 0);
          return (
            <DataTable
              id="licences"
              title={t('licences.title')}
              columns={columns}
              rows={rows}
              rowKey={(r) => r.licence}
              initialSort={{ key: 'unusedCost', dir: 'desc' }}
              csv={{ report: 'licences', params: clean(params) }}
              toolbar={toolbar}
              summary={rows.length ? <p>{t('licences.summary', { n: f.number(rows.length), cost: f.money(cost), unused: f.money(unused) })}</p> : undefined}
              empty={<Empty>{data.rows.length ? t('empty.filtered') : t('empty.licences')}</Empty>}
              busy={q.isPlaceholderData}
            />
          );
        }}
      </QueryView>
      <SeatMovesPanel params={{ asOf: filters.asOf, school: filters.school, product: filters.product }} />
      <PeersPanel from={filters.from} to={filters.to} product={filters.product} />
    </>
  );
}
