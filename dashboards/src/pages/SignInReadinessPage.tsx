/**
 * Inloggning inför prov: before the digital national tests, how many pupils of the tested
 * years signed in with their school account in the days before a date (docs/figures.md,
 * figure 16), per school unit and class, with CSV. An admin or a class's own teacher can open
 * the list of that class's pupils who did not (as pseudonyms: no names are stored).
 */
import { useQuery } from '@tanstack/react-query';
import { useId, useMemo } from 'react';
import { clean, queries } from '../api/queries.ts';
import type { NotSignedInPupil, ReadinessReport, ReadinessRow } from '../api/types.ts';
import { Badge, type Tone } from '../components/Badge.tsx';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { DownloadButtons } from '../components/DownloadButtons.tsx';
import { KpiCard } from '../components/KpiCard.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { Empty, QueryView, Updating } from '../components/States.tsx';
import { readNumber } from '../filters.ts';
import { useI18n } from '../i18n/index.tsx';
import type { MessageKey } from '../i18n/sv.ts';
import { useFilters } from '../useFilters.ts';

const WINDOWS = [7, 14, 30, 60, 90];
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Ready from 90 %, some missing from 70 %: a screen's reading aid, not a figure of the API. */
const statusOf = (share: number | null): { tone: Tone; key: MessageKey } | null =>
  share === null ? null : share >= 0.9 ? { tone: 'ok', key: 'signins.status.ready' } : share >= 0.7 ? { tone: 'warn', key: 'signins.status.some' } : { tone: 'danger', key: 'signins.status.many' };

export default function SignInReadinessPage() {
  const { t, f } = useI18n();
  const id = useId();
  const { search, today, setParam } = useFilters();
  const me = useQuery(queries.me());
  const q0 = new URLSearchParams(search);
  const asked = q0.get('date') ?? '';
  const date = DAY.test(asked) ? asked : today;
  const days = readNumber(search, 'days', 30, 1, 366);
  const listed = q0.get('list') ?? '';
  const params = { date, days };
  const q = useQuery(queries.signInReadiness(params));
  const role = me.data?.role;
  const mayList = (group: string) => role === 'admin' || (role === 'teacher' && (me.data?.groups ?? []).includes(group));

  const counts = useMemo<Column<ReadinessRow>[]>(() => {
    const hidden = (r: ReadinessRow, n: number | null) => (r.suppressed ? <span className="muted">{t('signins.suppressed')}</span> : f.number(n));
    return [
      { id: 'years', header: t('col.years'), value: (r) => r.years.join(', ') },
      { id: 'pupils', header: t('col.pupils'), value: (r) => r.pupils, align: 'right', cell: (r) => hidden(r, r.pupils) },
      { id: 'signedIn', header: t('col.signedIn'), value: (r) => r.signedIn, align: 'right', cell: (r) => (r.suppressed ? '' : f.number(r.signedIn)) },
      { id: 'notSignedIn', header: t('col.notSignedIn'), value: (r) => r.notSignedIn, align: 'right', cell: (r) => (r.suppressed ? '' : f.number(r.notSignedIn)) },
      {
        id: 'signedInShare', header: t('col.signedInShare'), value: (r) => r.signedInShare, align: 'right', firstDir: 'asc',
        cell: (r) => {
          const s = statusOf(r.signedInShare);
          return s ? <span className="cell-main">{f.percent(r.signedInShare)} <Badge tone={s.tone}>{t(s.key)}</Badge></span> : '';
        },
      },
    ];
  }, [t, f]);
  const school: Column<ReadinessRow> = { id: 'school', header: t('col.school'), value: (r) => r.schoolName, rowHeader: true };
  const group: Column<ReadinessRow> = {
    id: 'group', header: t('col.class'), value: (r) => r.groupName, rowHeader: true,
    cell: (r) => (<><span className="cell-main">{r.groupName}</span><span className="cell-sub">{r.schoolName}</span></>),
  };
  const show: Column<ReadinessRow> = {
    id: 'list', header: t('signins.listColumn'), value: () => 0, sortable: false, help: null,
    cell: (r) => (mayList(r.group) && (r.notSignedIn ?? 0) > 0
      ? <button type="button" className="btn btn-secondary" data-list={r.group} aria-pressed={listed === r.group} onClick={() => setParam('list', listed === r.group ? null : r.group)}>{t('signins.show')}</button>
      : ''),
  };

  const controls = (
    <>
      <div className="field field-inline">
        <label htmlFor={`${id}-date`}>{t('signins.date')}</label>
        <input id={`${id}-date`} type="date" value={date} onChange={(e) => setParam('date', DAY.test(e.target.value) && e.target.value !== today ? e.target.value : null)} />
      </div>
      <div className="field field-inline">
        <label htmlFor={`${id}-days`}>{t('signins.days')}</label>
        <select id={`${id}-days`} value={days} onChange={(e) => setParam('days', Number(e.target.value) === 30 ? null : e.target.value)}>
          {[...new Set([...WINDOWS, days])].sort((a, b) => a - b).map((d) => <option key={d} value={d}>{t('common.days', { n: d })}</option>)}
        </select>
      </div>
    </>
  );

  return (
    <>
      <PageHeader title={t('signins.title')} lead={t('signins.lead', { days, date: f.date(date) })} aside={<Updating active={q.isPlaceholderData} />} />
      <p className="muted signins-how">{t('signins.how')}</p>
      <div className="field-row">{controls}</div>
      <QueryView query={q} what="what.signins">
        {(data) => {
          const at = (level: ReadinessRow['level']) => data.rows.filter((r) => r.level === level);
          if (data.rows.length === 0) return <Empty>{t('empty.signins', { tested: testedText(t, data) })}</Empty>;
          // Unit rows count each pupil once; a teacher has only their classes' rows.
          const whole = at('school').length ? at('school') : at('class');
          const pupils = whole.reduce((s, r) => s + (r.pupils ?? 0), 0);
          const signed = whole.reduce((s, r) => s + (r.signedIn ?? 0), 0);
          const listedRow = at('class').find((r) => r.group === listed && mayList(r.group));
          return (
            <>
              <p className="signins-tested" data-tested>{t('signins.tested', { tested: testedText(t, data) })}</p>
              <section className="kpis kpis-2" aria-label={t('signins.title')}>
                <KpiCard label={t('signins.kpiShare')} value={f.percent(pupils ? signed / pupils : null)} hint={t('signins.kpiHint', { signed: f.number(signed), pupils: f.number(pupils) })} />
                <KpiCard label={t('signins.kpiNot')} value={f.number(pupils - signed)} tone={pupils - signed > 0 ? 'alert' : 'plain'} />
              </section>
              {at('school').length > 0 && (
                <DataTable id="signins-schools" title={t('signins.schools')} columns={[school, ...counts]} rows={at('school')} rowKey={(r) => r.school}
                  initialSort={{ key: 'signedInShare', dir: 'asc' }} csv={{ report: 'signInReadiness', params: clean(params) }} busy={q.isPlaceholderData} />
              )}
              <DataTable id="signins-classes" title={t('signins.classes')} columns={[group, ...counts, show]} rows={at('class')} rowKey={(r) => r.group}
                initialSort={{ key: 'signedInShare', dir: 'asc' }} pageSize={60} busy={q.isPlaceholderData}
                {...(at('school').length ? {} : { csv: { report: 'signInReadiness' as const, params: clean(params) } })}
                footer={role === 'principal' || role === 'purchaser' ? <p className="muted">{t('signins.onlyCounts')}</p> : undefined} />
              {listedRow && <PupilList row={listedRow} date={date} days={days} onClose={() => setParam('list', null)} />}
            </>
          );
        }}
      </QueryView>
    </>
  );
}

const FORMS: Record<string, MessageKey> = { GR: 'signins.formGR', GY: 'signins.formGY' };

/** "grundskolan årskurs 3, 6 och 9 och gymnasieskolan", from the tested years the server uses. */
function testedText(t: ReturnType<typeof useI18n>['t'], data: ReadinessReport): string {
  const parts = (data.tested ?? []).map((x) => {
    const form = FORMS[x.schoolType] ? t(FORMS[x.schoolType]) : x.schoolType;
    return x.years.length ? t('signins.formYears', { form, years: joinAnd(t, x.years.map(String)) }) : form;
  });
  return joinAnd(t, parts);
}
const joinAnd = (t: ReturnType<typeof useI18n>['t'], xs: string[]) => (xs.length <= 1 ? xs.join('') : `${xs.slice(0, -1).join(', ')} ${t('common.and')} ${xs[xs.length - 1]}`);

function PupilList({ row, date, days, onClose }: { row: ReadinessRow; date: string; days: number; onClose: () => void }) {
  const { t, f } = useI18n();
  const params = { date, days, group: row.group };
  const q = useQuery(queries.signInReadinessPupils(params));
  const columns: Column<NotSignedInPupil>[] = [
    { id: 'pseudonym', header: t('col.pseudonym'), value: (r) => r.pseudonym, rowHeader: true, cell: (r) => <code className="pseudonym">{r.pseudonym}</code> },
    { id: 'years', header: t('col.years'), value: (r) => r.years },
    { id: 'lastSignIn', header: t('col.lastSignIn'), value: (r) => r.lastSignIn, cell: (r) => (r.lastSignIn ? f.date(r.lastSignIn) : <span className="muted">{t('signins.never')}</span>) },
  ];
  return (
    <section className="signins-pupils" aria-label={t('signins.pupilsTitle', { group: row.groupName })}>
      <QueryView query={q} what="what.signins">
        {(data) => (
          <DataTable id="signins-pupils" title={t('signins.pupilsTitle', { group: row.groupName })} columns={columns} rows={data.rows} rowKey={(r) => r.pseudonym}
            summary={<p className="muted">{t('signins.pupilsLead')}</p>}
            toolbar={<><DownloadButtons report="signInReadinessPupils" params={clean(params)} /><button type="button" className="btn btn-ghost" onClick={onClose}>{t('signins.close')}</button></>}
            empty={<Empty>{t('signins.pupilsEmpty')}</Empty>} busy={q.isPlaceholderData} />
        )}
      </QueryView>
    </section>
  );
}
