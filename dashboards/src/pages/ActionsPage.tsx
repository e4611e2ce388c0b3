/**
 * Att besluta: one list of what to decide before a date (docs/figures.md, figure 19), per
 * buyer and per förvaltning: renew, reduce, cut, move seats and follow up, each with the money
 * at stake, the rule that raised it and the follow-up status beside it; largest sum first.
 */
import { useQuery } from '@tanstack/react-query';
import { useId, useMemo } from 'react';
import { COLUMNS } from '../../../packages/reports/src/columns.ts';
import { clean, queries } from '../api/queries.ts';
import type { ActionItem, ActionKind } from '../api/types.ts';
import { useReportApplied } from '../appliedFilters.tsx';
import { Badge, type Tone } from '../components/Badge.tsx';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { KpiCard } from '../components/KpiCard.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { Empty, QueryView, Updating } from '../components/States.tsx';
import { useI18n } from '../i18n/index.tsx';
import type { MessageKey } from '../i18n/sv.ts';
import { useFilters } from '../useFilters.ts';

const TONE: Record<ActionKind, Tone> = { cut: 'danger', reduce: 'warn', renew: 'info', move: 'ok', followup: 'neutral', flag: 'warn' };
const ISO = /^\d{4}-\d{2}-\d{2}$/;
/** The rules in words; a rule without words here (a flag of another report) is shown as it is named. */
const RULES = new Set(['no-use', 'shared', 'peak-below-seats', 'overused', 'renewal', 'seat-move:overused', 'seat-move:unlicensed', 'followup-open', 'followup-contacted']);

/** 90 days after a day, as the API's default. */
function plus90(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 90);
  return d.toISOString().slice(0, 10);
}

export default function ActionsPage() {
  const { t, f, lang } = useI18n();
  const id = useId();
  const { filters, search, setParam } = useFilters();
  const me = useQuery(queries.me());
  const manager = me.data?.role === 'admin' || me.data?.role === 'purchaser';
  const buyers = useQuery({ ...queries.buyerList(), enabled: manager });
  const raw = search.get('before') ?? '';
  const before = ISO.test(raw) && raw >= filters.asOf ? raw : plus90(filters.asOf);
  const buyer = search.get('buyer') || undefined;
  const forvaltning = search.get('forvaltning') || undefined;
  const params = { asOf: filters.asOf, before, buyer, forvaltning, school: filters.school, product: filters.product };
  const q = useQuery(queries.actions(params));
  useReportApplied(q.data?.params);
  const help = (key: string) => (lang === 'sv' ? COLUMNS[key].meaningSv : COLUMNS[key].meaningEn);
  /** `renewal,flag:never-used`: each rule of an item in words, a flag by its kind's name on the Signaler page. */
  const ruleWords = (rule: string) => rule.split(',').map((x) => {
    if (RULES.has(x)) return t(`actions.r.${x}` as MessageKey);
    if (x.startsWith('flag:')) return t(`flags.kind.${x.slice(5)}` as MessageKey);
    return x;
  }).join(' · ');

  const columns: Column<ActionItem>[] = useMemo(() => [
    { id: 'action', header: t('actions.col.action'), value: (r) => r.action, rowHeader: true, help: null,
      cell: (r) => (<><Badge tone={TONE[r.action]}>{t(`actions.kind.${r.action}` as MessageKey)}</Badge>
        {r.seats !== null && r.action !== 'cut' && <span className="cell-sub">{t('actions.seats', { n: f.number(r.seats) })}</span>}</>) },
    { id: 'actionLicence', header: t('col.licence'), value: (r) => r.productName, help: null,
      cell: (r) => (<><span className="cell-main">{r.productName}</span><span className="cell-sub">{r.licence}{r.toSchoolName ? ` → ${r.toSchoolName}` : ''}</span></>) },
    { id: 'buyer', header: t('col.buyer'), value: (r) => r.buyer,
      cell: (r) => (<><span className="cell-main">{r.buyer}</span>{r.forvaltning && <span className="cell-sub">{r.forvaltning}</span>}</>) },
    { id: 'due', header: t('actions.col.due'), value: (r) => r.due, firstDir: 'asc', help: help('due'), cell: (r) => f.date(r.due) },
    { id: 'sek', header: t('actions.col.sek'), value: (r) => r.sek, align: 'right', help: help('sek'),
      cell: (r) => (<><strong>{f.money(r.sek, r.currency)}</strong><span className="cell-sub">{t(r.effect === 'saving' ? 'actions.saves' : 'actions.costs')}</span></>) },
    { id: 'explanation', header: t('actions.col.why'), value: (r) => r.explanation, sortable: false, help: help('explanation'), className: 'col-wrap col-why',
      cell: (r) => (<><span>{r.explanation}</span><span className="cell-sub" data-rule={r.rule}>{t('actions.rule', { rule: ruleWords(r.rule) })}</span></>) },
    { id: 'followupStatus', header: t('actions.col.followup'), value: (r) => r.followupStatus ?? '', help: help('followupStatus'),
      cell: (r) => (r.followupStatus ? t(`fstatus.${r.followupStatus}` as MessageKey) : '–') },
  ], [t, f, lang]); // eslint-disable-line react-hooks/exhaustive-deps

  const names = buyers.data?.rows ?? [];
  const forvaltningar = [...new Set(names.flatMap((b) => [b.forvaltning, ...b.licenceForvaltningar]).filter(Boolean))].sort((a, b) => a.localeCompare(b, 'sv'));
  const toolbar = (
    <>
      <div className="field field-inline">
        <label htmlFor={`${id}-before`}>{t('actions.before')}</label>
        <input id={`${id}-before`} type="date" value={before} min={filters.asOf} onChange={(e) => setParam('before', e.target.value || null)} />
      </div>
      {manager && (
        <>
          <div className="field field-inline">
            <label htmlFor={`${id}-buyer`}>{t('col.buyer')}</label>
            <select id={`${id}-buyer`} value={buyer ?? ''} onChange={(e) => setParam('buyer', e.target.value || null)}>
              <option value="">{t('actions.all')}</option>
              {names.map((b) => <option key={b.buyer} value={b.buyer}>{b.buyer}</option>)}
            </select>
          </div>
          <div className="field field-inline">
            <label htmlFor={`${id}-forv`}>{t('actions.forvaltning')}</label>
            <select id={`${id}-forv`} value={forvaltning ?? ''} onChange={(e) => setParam('forvaltning', e.target.value || null)}>
              <option value="">{t('actions.all')}</option>
              {forvaltningar.map((v) => <option key={v} value={v}>{v}</option>)}
            </select>
          </div>
        </>
      )}
    </>
  );

  return (
    <>
      <PageHeader title={t('actions.title')} lead={t('actions.lead', { before: f.date(before) })} aside={<Updating active={q.isPlaceholderData} />} />
      <QueryView query={q} what="what.actions">
        {(data) => (
          <>
            <section className="kpis kpis-2" aria-label={t('actions.title')}>
              <KpiCard id="actionsSaving" label={t('actions.kpi.saving')} value={f.money(data.totals.saving)} hint={t('actions.kpi.items', { n: f.number(data.totals.items) })} />
              <KpiCard id="actionsCost" label={t('actions.kpi.cost')} value={f.money(data.totals.cost)} hint={t('actions.kpi.costHint')} />
            </section>
            <DataTable
              id="actions"
              title={t('actions.title')}
              columns={columns}
              rows={data.rows}
              rowKey={(r) => `${r.action}|${r.licence}|${r.toLicence ?? ''}|${r.toSchoolName ?? ''}|${r.rule}`}
              initialSort={{ key: 'sek', dir: 'desc' }}
              csv={{ report: 'actions', params: clean(params) }}
              toolbar={toolbar}
              empty={<Empty>{t('empty.actions', { before: f.date(before) })}</Empty>}
              busy={q.isPlaceholderData}
            />
          </>
        )}
      </QueryView>
    </>
  );
}
