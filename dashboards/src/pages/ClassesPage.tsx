/** Klasser: each class against each learning material, and the classes that never opened a paid one. */
import { useQuery } from '@tanstack/react-query';
import { useId, useMemo } from 'react';
import { clean, queries } from '../api/queries.ts';
import type { ClassUsageRow } from '../api/types.ts';
import { useReportApplied } from '../appliedFilters.tsx';
import { Badge } from '../components/Badge.tsx';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { HeatMap, HeatMapLegend } from '../components/HeatMap.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { Empty, QueryView, Updating } from '../components/States.tsx';
import { UtilisationBar } from '../components/UtilisationBar.tsx';
import { buildMatrix, isNeverOpened, isOutsideTarget, onlyClasses, productsWithoutTarget } from '../classMatrix.ts';
import { help } from '../explain.ts';
import { useI18n } from '../i18n/index.tsx';
import { useFilters } from '../useFilters.ts';
import { useReference } from '../useReference.ts';
import { navigate } from '../router.ts';
import { writeFilters, writeParam } from '../filters.ts';

export default function ClassesPage() {
  const { t, f, lang } = useI18n();
  const id = useId();
  const { filters, search, setParam } = useFilters();
  const params = { from: filters.from, to: filters.to, school: filters.school, product: filters.product };
  const me = useQuery(queries.me());
  const ref = useReference();
  const role = me.data?.role;
  // The organiser's managers compare classes within one school unit at a time: a heat map of
  // every class in the municipality is neither readable nor cheap. Principals and teachers
  // are scoped by the API already, so their page loads at once.
  const needsPick = !filters.school && search.get('all') !== '1' && (role === 'admin' || role === 'purchaser');
  const q = useQuery({ ...queries.classUsage(params), enabled: !!role && !needsPick });
  useReportApplied(q.data?.params);
  const allGroups = search.get('groups') === 'all';

  const rows = useMemo(() => (q.data ? (allGroups ? q.data.rows : onlyClasses(q.data.rows)) : []), [q.data, allGroups]);
  const matrix = useMemo(() => buildMatrix(rows), [rows]);
  const hasTypes = q.data?.rows.some((r) => r.groupType && r.groupType.toLowerCase() !== 'klass') ?? false;

  const columns: Column<ClassUsageRow>[] = [
    { id: 'group', header: t('col.class'), value: (r) => r.groupName, rowHeader: true, cell: (r) => (<><span className="cell-main">{r.groupName}</span>{matrix.schools > 1 && <span className="cell-sub">{r.schoolName}</span>}</>) },
    { id: 'product', header: t('col.product'), value: (r) => r.productName ?? r.product },
    { id: 'enrolled', header: t('col.enrolled'), value: (r) => r.enrolled, align: 'right', cell: (r) => f.number(r.enrolled) },
    { id: 'active', header: t('col.active'), value: (r) => r.active, align: 'right', cell: (r) => f.number(r.active) },
    { id: 'adoption', header: t('col.adoption'), value: (r) => r.adoption, firstDir: 'asc', cell: (r) => <UtilisationBar share={r.adoption} /> },
    { id: 'events', header: t('col.events'), value: (r) => r.events, align: 'right', cell: (r) => f.number(r.events) },
    { id: 'activeDays', header: t('col.activeDays'), value: (r) => r.activeDays, align: 'right', cell: (r) => f.number(r.activeDays) },
    { id: 'lastActive', header: t('col.lastActive'), value: (r) => r.lastActive, firstDir: 'desc', cell: (r) => (r.lastActive ? f.date(r.lastActive) : <span className="muted">{t('common.never')}</span>) },
    {
      id: 'status', header: t('col.status'), help: help('classes.status', lang), value: (r) => (r.enrolled === 0 ? 3 : isOutsideTarget(r) ? 4 : isNeverOpened(r) ? 0 : (r.adoption ?? 0) < 0.5 ? 1 : 2), firstDir: 'asc',
      cell: (r) =>
        r.enrolled === 0 ? <Badge tone="neutral">{t('classes.status.empty')}</Badge>
        : isOutsideTarget(r) ? <Badge tone="neutral">{t('target.outsideClass')}</Badge>
        : isNeverOpened(r) ? <Badge tone="danger">{t('classes.status.never')}</Badge>
        : (r.adoption ?? 0) < 0.5 ? <Badge tone="warn">{t('classes.status.low')}</Badge>
        : <Badge tone="ok">{t('classes.status.used')}</Badge>,
    },
  ];

  return (
    <>
      <PageHeader title={t('classes.title')} lead={t('classes.lead')} aside={<Updating active={q.isPlaceholderData} />} />
      {needsPick ? (
        <section className="panel" aria-labelledby="pick-title">
          <h2 id="pick-title">{t('classes.pickTitle')}</h2>
          <p className="lead">{t('classes.pickLead')}</p>
          <ul className="pick-list">
            {ref.schools.map((s) => (
              <li key={s.id}>
                <a href={`/classes?${writeFilters(search, { school: s.id }).toString()}`} onClick={(e) => { e.preventDefault(); navigate(`/classes?${writeFilters(search, { school: s.id }).toString()}`); }}>{s.name}</a>
              </li>
            ))}
          </ul>
          <button type="button" className="btn btn-ghost" onClick={() => navigate(`/classes?${writeParam(search, 'all', 1).toString()}`)}>{t('classes.pickAll')}</button>
        </section>
      ) : (
      <QueryView query={q} what="what.classes">
        {(data) =>
          data.rows.length === 0 ? (
            <Empty>{t('empty.classes')}</Empty>
          ) : (
            <>
              {matrix.flagged > 0 ? (
                <div className="notice notice-danger" role="status" data-flagged={matrix.flagged}>
                  <Badge tone="danger">{t('classes.status.never')}</Badge> {t('classes.flagged', { n: f.number(matrix.flagged) })}
                </div>
              ) : (
                matrix.classes.length > 0 && <div className="notice notice-ok" role="status"><Badge tone="ok">{t('classes.status.used')}</Badge> {t('classes.noneFlagged')}</div>
              )}
              {!filters.school && matrix.schools > 1 && <p className="hint">{t('classes.pickSchool')}</p>}
              {productsWithoutTarget(rows).length > 0 && (
                <p className="hint" data-testid="target-missing">{t('target.missingClasses', { products: productsWithoutTarget(rows).join(', ') })}</p>
              )}
              <section className="panel" aria-labelledby="heatmap-title">
                <div className="panel-head">
                  <h2 id="heatmap-title">{t('classes.heatmap')}</h2>
                  <div className="panel-tools">
                    {hasTypes && (
                      <label className="check" htmlFor={`${id}-all`}>
                        <input id={`${id}-all`} type="checkbox" checked={allGroups} onChange={(e) => setParam('groups', e.target.checked ? 'all' : null)} />
                        {t('classes.allGroups')}
                      </label>
                    )}
                  </div>
                </div>
                <HeatMapLegend />
                <HeatMap matrix={matrix} busy={q.isPlaceholderData} />
              </section>
              <DataTable
                id="class-usage"
                title={t('classes.table')}
                columns={columns}
                rows={rows}
                rowKey={(r) => `${r.school}|${r.group}|${r.product}`}
                initialSort={{ key: 'status', dir: 'asc' }}
                csv={{ report: 'classUsage', params: clean(params) }}
                rowClassName={(r) => (isNeverOpened(r) ? 'row-flagged' : undefined)}
                pageSize={60}
                busy={q.isPlaceholderData}
              />
            </>
          )
        }
      </QueryView>
      )}
    </>
  );
}
