/**
 * Uppföljning: buyers with their licences, costs and open follow-ups; choose a buyer to
 * see each of their licences with its current status and history, and set a status with
 * a note right there. Buyers, licences and the whole follow-up history are fetched in
 * parallel (one network step); nothing is asked per licence.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useMemo, useRef, useState, type FormEvent } from 'react';
import { clean, queries } from '../api/queries.ts';
import { saveFollowup } from '../api/mutations.ts';
import { FOLLOWUP_STATUSES, type BuyerRow, type FollowupRow, type FollowupStatus, type LicenceRow } from '../api/types.ts';
import { useReportApplied } from '../appliedFilters.tsx';
import { Badge } from '../components/Badge.tsx';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { DaysLeft } from '../components/DaysLeft.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { PartialBadge } from '../components/PartialBadge.tsx';
import { Empty, ErrorPanel, errorText, Loading, QueryView, Updating } from '../components/States.tsx';
import { UtilisationBar } from '../components/UtilisationBar.tsx';
import { historyByLicence, STATUS_TONE } from '../followups.ts';
import { useI18n } from '../i18n/index.tsx';
import { useFilters } from '../useFilters.ts';
import { useReference } from '../useReference.ts';

export default function FollowupPage() {
  const { t, f } = useI18n();
  const { filters, search, setParam } = useFilters();
  const params = { from: filters.from, to: filters.to, asOf: filters.asOf, school: filters.school, product: filters.product };
  const buyers = useQuery(queries.buyers(params));
  const licences = useQuery(queries.licences(params));
  const history = useQuery(queries.followups());
  useReportApplied(buyers.data?.params);
  const selected = search.get('buyer');
  const panel = useRef<HTMLElement>(null);
  // Stacked layout (tablet): bring the chosen buyer's licences into view.
  useEffect(() => {
    if (selected && window.matchMedia('(max-width: 1100px)').matches) panel.current?.scrollIntoView({ behavior: 'smooth', block: 'start' });
  }, [selected]);

  const columns: Column<BuyerRow>[] = [
    {
      id: 'buyer', header: t('col.buyer'), value: (r) => r.buyer, rowHeader: true, className: 'col-wrap',
      cell: (r) => (
        <button type="button" className="linklike" aria-pressed={selected === r.buyer} onClick={() => setParam('buyer', selected === r.buyer ? null : r.buyer)}>
          {r.buyer}<span className="sr-only">: {t('followup.show')}</span>
        </button>
      ),
    },
    { id: 'licences', header: t('col.licences'), value: (r) => r.licences, align: 'right', cell: (r) => f.number(r.licences) },
    { id: 'cost', header: t('col.cost'), value: (r) => r.cost, align: 'right', cell: (r) => f.money(r.cost) },
    { id: 'unusedCost', header: t('col.unusedCost'), value: (r) => r.unusedCost, align: 'right', cell: (r) => <strong>{f.money(r.unusedCost)}</strong> },
    { id: 'worst', header: t('col.worstUtilisation'), value: (r) => r.worstUtilisation, firstDir: 'asc', cell: (r) => <UtilisationBar share={r.worstUtilisation} /> },
    { id: 'open', header: t('col.openFollowups'), value: (r) => r.openFollowups, align: 'right', cell: (r) => (r.openFollowups ? <Badge tone="warn">{f.number(r.openFollowups)}</Badge> : '0') },
  ];

  return (
    <>
      <PageHeader title={t('followup.title')} lead={t('followup.lead')} aside={<Updating active={buyers.isPlaceholderData} />} />
      <div className="split">
        <QueryView query={buyers} what="what.buyers">
          {(data) => (
            <DataTable
              id="buyers"
              title={t('nav.followup')}
              columns={columns}
              rows={data.rows}
              rowKey={(r) => r.buyer}
              initialSort={{ key: 'unusedCost', dir: 'desc' }}
              csv={{ report: 'buyers', params: clean(params) }}
              empty={<Empty>{t('empty.buyers')}</Empty>}
              rowClassName={(r) => (r.buyer === selected ? 'row-selected' : undefined)}
              busy={buyers.isPlaceholderData}
            />
          )}
        </QueryView>
        <section className="panel buyer-panel" aria-labelledby="buyer-title" ref={panel}>
          {!selected ? (
            <>
              <h2 id="buyer-title" className="sr-only">{t('followup.title')}</h2>
              <Empty>{t('followup.pickBuyer')}</Empty>
            </>
          ) : (
            <>
              <div className="panel-head">
                <h2 id="buyer-title">{t('followup.licencesOf', { buyer: selected })}</h2>
                <button type="button" className="btn btn-ghost btn-small" onClick={() => setParam('buyer', null)}>{t('common.close')}</button>
              </div>
              {licences.error ? (
                <ErrorPanel what="what.licences" error={licences.error} onRetry={() => void licences.refetch()} />
              ) : !licences.data ? (
                <Loading what="what.licences" rows={3} />
              ) : (
                <BuyerLicences rows={licences.data.rows.filter((l) => l.buyer === selected)} history={history.data?.rows} historyError={history.error} />
              )}
            </>
          )}
        </section>
      </div>
    </>
  );
}

function BuyerLicences({ rows, history, historyError }: { rows: LicenceRow[]; history: FollowupRow[] | undefined; historyError: unknown }) {
  const { t } = useI18n();
  const byLicence = useMemo(() => historyByLicence(history ?? []), [history]);
  if (rows.length === 0) return <Empty>{t('empty.licences')}</Empty>;
  return (
    <>
      {historyError ? <ErrorPanel what="what.followups" error={historyError} /> : null}
      <ul className="licence-cards">
        {[...rows].sort((a, b) => (b.unusedCost ?? 0) - (a.unusedCost ?? 0)).map((l) => (
          <li key={l.licence}><LicenceFollowup licence={l} history={byLicence.get(l.licence) ?? []} loading={history === undefined && !historyError} /></li>
        ))}
      </ul>
    </>
  );
}

function LicenceFollowup({ licence: l, history, loading }: { licence: LicenceRow; history: FollowupRow[]; loading: boolean }) {
  const { t, f } = useI18n();
  const ref = useReference();
  const qc = useQueryClient();
  const id = useId();
  const current = history[0];
  const [status, setStatus] = useState<FollowupStatus>(current?.status ?? 'open');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [showAll, setShowAll] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setMessage(null);
    try {
      await saveFollowup(qc, { licence: l.licence, status, note });
      setNote('');
      setMessage({ ok: true, text: t('followup.saved', { status: t(`fstatus.${status}`) }) });
    } catch (err) {
      setMessage({ ok: false, text: t('followup.failed', { message: errorText(t, err) }) });
    } finally {
      setBusy(false);
    }
  }

  const shown = showAll ? history : history.slice(0, 3);
  return (
    <article className="licence-card" aria-labelledby={`${id}-h`} data-licence={l.licence}>
      <header className="licence-card-head">
        <h3 id={`${id}-h`}>{l.productName ?? ref.productName(l.product)} <span className="cell-sub">{l.licence}</span> <PartialBadge reach={l.reach} /></h3>
        <span className="current-status">
          <span className="sr-only">{t('followup.current')}: </span>
          {current ? <Badge tone={STATUS_TONE[current.status]}>{t(`fstatus.${current.status}`)}</Badge> : <Badge tone="neutral">{t('followup.none')}</Badge>}
        </span>
      </header>
      <dl className="facts">
        <div><dt>{t('col.utilisation')}</dt><dd><UtilisationBar share={l.utilisation} fallback={l.seats === null ? t('common.unlimited') : undefined} /></dd></div>
        <div><dt>{t('col.unusedCost')}</dt><dd><strong>{f.money(l.unusedCost, l.currency)}</strong></dd></div>
        <div><dt>{t('col.price')}</dt><dd>{f.money(l.price, l.currency)}</dd></div>
        <div><dt>{t('col.end')}</dt><dd><DaysLeft end={l.end} days={l.daysToExpiry} /></dd></div>
      </dl>
      <form className="followup-form" onSubmit={submit}>
        <div className="field">
          <label htmlFor={`${id}-status`}>{t('followup.status')}</label>
          <select id={`${id}-status`} name="status" value={status} onChange={(e) => setStatus(e.target.value as FollowupStatus)}>
            {FOLLOWUP_STATUSES.map((s) => <option key={s} value={s}>{t(`fstatus.${s}`)}</option>)}
          </select>
        </div>
        <div className="field field-grow">
          <label htmlFor={`${id}-note`}>{t('followup.note')}</label>
          <textarea id={`${id}-note`} name="note" rows={2} maxLength={4000} value={note} placeholder={t('followup.notePlaceholder')} onChange={(e) => setNote(e.target.value)} />
        </div>
        <button type="submit" className="btn btn-primary" disabled={busy}>{busy ? t('followup.saving') : t('followup.save')}</button>
        <p className={message?.ok === false ? 'field-error' : 'field-ok'} role="status">{message?.text ?? ''}</p>
      </form>
      {current && (
        <p className="latest">
          <span className="muted">{current.by} · {f.dateTime(current.at)}</span>
          {current.note ? <span className="history-note">{current.note}</span> : null}
        </p>
      )}
      <details className="history">
        <summary>{t('followup.history')} ({history.length})</summary>
        {loading ? (
          <Loading what="what.followups" rows={1} />
        ) : history.length === 0 ? (
          <p className="muted">{t('followup.noHistory')}</p>
        ) : (
          <ol className="history-list">
            {shown.map((h, i) => (
              <li key={`${h.at}-${i}`}>
                <Badge tone={STATUS_TONE[h.status]}>{t(`fstatus.${h.status}`)}</Badge>
                <span className="muted"> {h.by} · {f.dateTime(h.at)}</span>
                {h.note ? <p className="history-note">{h.note}</p> : null}
              </li>
            ))}
            {history.length > 3 && !showAll && (
              <li><button type="button" className="btn btn-ghost btn-small" onClick={() => setShowAll(true)}>+{history.length - 3}</button></li>
            )}
          </ol>
        )}
      </details>
    </article>
  );
}
