/**
 * Utskick: scheduled e-mail for administrators. The subscriptions with their state (sent,
 * failing and why, buyers without an address), the file each would send today, "send now to
 * me", and a form for a new one. Without SMTP settings the page says so and the files can
 * still be downloaded; nothing else depends on e-mail.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { ApiError, downloadNamed } from '../api/client.ts';
import { deleteSubscription, saveSubscription, sendSubscriptionNow } from '../api/mutations.ts';
import { queries } from '../api/queries.ts';
import type { MailReport, Subscription, SubscriptionInput, SubscriptionsAnswer } from '../api/types.ts';
import { Badge } from '../components/Badge.tsx';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { Empty, errorText, QueryView, Updating } from '../components/States.tsx';
import { useI18n, type Translate } from '../i18n/index.tsx';
import type { MessageKey } from '../i18n/sv.ts';

const FORMAT_LABEL: Record<string, MessageKey> = { xlsx: 'table.xlsx', 'csv-excel': 'table.csvExcel', csv: 'table.csv' };
const PRESETS: { key: MessageKey; cron: string }[] = [
  { key: 'subs.preset.weekly', cron: '0 7 * * 1' },
  { key: 'subs.preset.daily', cron: '0 7 * * 1-5' },
  { key: 'subs.preset.monthly', cron: '0 7 1 * *' },
];
const MY_ADDRESS = 'licenskoll.myAddress';

/** An API refusal with its named fields (`schedule: ...; report: ...`), else the usual error text. */
function refusal(t: Translate, e: unknown): string {
  if (e instanceof ApiError && e.status === 400 && Array.isArray(e.details)) {
    return (e.details as { field: string; reason: string }[]).map((d) => `${d.field}: ${d.reason}`).join('; ');
  }
  return e instanceof ApiError && e.status === 502 ? e.message : errorText(t, e);
}

export default function SubscriptionsPage() {
  const { t } = useI18n();
  const q = useQuery(queries.subscriptions());
  const [done, setDone] = useState<string | null>(null);
  return (
    <>
      <PageHeader title={t('subs.title')} lead={t('subs.lead')} aside={<Updating active={q.isFetching && !q.isPending} />} />
      <QueryView query={q} what="what.subscriptions">
        {(data) => (
          <>
            <MailNotice mail={data.mail} />
            {done && <div className="notice notice-ok" role="status">{done}</div>}
            <SubscriptionTable data={data} onDone={setDone} />
            <NewSubscription reports={data.reports} onDone={setDone} />
          </>
        )}
      </QueryView>
    </>
  );
}

function MailNotice({ mail }: { mail: SubscriptionsAnswer['mail'] }) {
  const { t } = useI18n();
  if (!mail.configured) return <div className="notice notice-warn" role="status" data-mail="off">{t('subs.notConfigured')}</div>;
  const failing = mail.transport && mail.transport.state !== 'ok' && mail.transport.state !== 'unverified';
  return (
    <>
      <p className="hint" data-mail="on">{t('subs.configured', { host: mail.host ?? '', port: mail.port ?? '', security: mail.security ?? '', from: mail.from ?? '', tz: mail.timeZone })}</p>
      {failing && <div className="notice notice-danger" role="alert">{t('subs.transportFailing', { message: mail.transport!.message })}</div>}
    </>
  );
}

function SubscriptionTable({ data, onDone }: { data: SubscriptionsAnswer; onDone: (text: string) => void }) {
  const { t, f, lang } = useI18n();
  const qc = useQueryClient();
  const [trying, setTrying] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reportName = (key: string) => data.reports.find((r) => r.key === key)?.[lang] ?? key;
  const act = async (work: () => Promise<unknown>, text?: string) => {
    setError(null);
    try {
      await work();
      if (text) onDone(text);
    } catch (e) {
      setError(refusal(t, e));
    }
  };

  const columns: Column<Subscription>[] = [
    { id: 'name', header: t('subs.col.name'), value: (r) => r.name, rowHeader: true, className: 'col-wrap' },
    {
      id: 'report', header: t('subs.col.report'), value: (r) => reportName(r.report),
      cell: (r) => <>{reportName(r.report)} <span className="muted">({t(FORMAT_LABEL[r.format] ?? 'table.xlsx')})</span></>,
    },
    {
      id: 'recipients', header: t('subs.col.recipients'), value: (r) => (r.recipients.kind === 'addresses' ? r.recipients.addresses.join(', ') : ''), className: 'col-wrap',
      cell: (r) => (r.recipients.kind === 'addresses' ? r.recipients.addresses.join(', ') : t('subs.buyersWithin', { n: r.recipients.within })),
    },
    {
      id: 'schedule', header: t('subs.col.schedule'), value: (r) => r.next,
      cell: (r) => <><code>{r.schedule}</code><br /><span className="muted">{r.enabled ? (r.next ? t('subs.next', { at: f.dateTime(r.next) }) : '') : t('subs.paused')}</span></>,
    },
    {
      id: 'status', header: t('subs.col.status'), value: (r) => r.status.state, className: 'col-wrap',
      cell: (r) => (
        <span data-status={r.status.state}>
          {r.status.state === 'ok' && <Badge tone="ok">{t('subs.status.ok', { at: f.dateTime(r.status.lastSent?.at) })}</Badge>}
          {r.status.state === 'failing' && <Badge tone="danger">{t('subs.status.failing', { error: r.status.lastError?.error ?? '' })}</Badge>}
          {r.status.state === 'idle' && <Badge tone="neutral">{t('subs.status.idle')}</Badge>}
          {r.status.pending > 0 && <> <Badge tone="info">{t('subs.status.pending', { n: r.status.pending })}</Badge></>}
          {r.status.withoutAddress.length > 0 && <><br /><Badge tone="warn">{t('subs.status.withoutAddress', { buyers: r.status.withoutAddress.join(', ') })}</Badge></>}
        </span>
      ),
    },
    {
      id: 'actions', header: t('subs.col.actions'), value: () => null, sortable: false,
      cell: (r) => (
        <span className="actions actions-wrap">
          <button type="button" className="btn btn-small btn-secondary" onClick={() => act(() => downloadNamed(`/v1/subscriptions/${encodeURIComponent(r.id)}/file`, `licenskoll-${r.report}`))}>
            {t('subs.download')}<span className="sr-only"> {r.name}</span>
          </button>
          <button type="button" className="btn btn-small" disabled={!data.mail.configured} aria-expanded={trying === r.id} onClick={() => setTrying(trying === r.id ? null : r.id)}>
            {t('subs.sendNow')}<span className="sr-only"> {r.name}</span>
          </button>
          <button type="button" className="btn btn-small btn-ghost" onClick={() => act(() => saveSubscription(qc, { ...specOf(r), enabled: !r.enabled }, r.id))}>
            {r.enabled ? t('subs.pause') : t('subs.resume')}<span className="sr-only"> {r.name}</span>
          </button>
          <button type="button" className="btn btn-small btn-ghost" onClick={() => act(() => deleteSubscription(qc, r.id), t('subs.deleted', { name: r.name }))}>
            {t('subs.delete')}<span className="sr-only"> {r.name}</span>
          </button>
        </span>
      ),
    },
  ];

  return (
    <>
      {error && <p className="field-error" role="alert">{error}</p>}
      {trying && data.rows.some((r) => r.id === trying) && <TryForm id={trying} onDone={(text) => { setTrying(null); onDone(text); }} />}
      <DataTable id="subscriptions" title={t('subs.title')} columns={columns} rows={data.rows} rowKey={(r) => r.id} empty={<Empty>{t('subs.empty')}</Empty>} />
    </>
  );
}

/** What the admin defined, without what the server adds (id, times, state): the body of a PUT. */
const specOf = (r: Subscription): SubscriptionInput => ({
  name: r.name, report: r.report, format: r.format, lang: r.lang, schedule: r.schedule, recipients: r.recipients, params: r.params, enabled: r.enabled,
});

/** "Send now to me": the address is remembered in this browser for the next try. */
function TryForm({ id, onDone }: { id: string; onDone: (text: string) => void }) {
  const { t } = useI18n();
  const qc = useQueryClient();
  const fid = useId();
  const [to, setTo] = useState(() => localStorage.getItem(MY_ADDRESS) ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const r = await sendSubscriptionNow(qc, id, to.trim());
      localStorage.setItem(MY_ADDRESS, to.trim());
      onDone(t('subs.sent', { to: r.to }));
    } catch (err) {
      setError(t('subs.sendFailed', { message: refusal(t, err) }));
      setBusy(false);
    }
  }
  return (
    <form className="panel field-row" onSubmit={submit}>
      <div className="field field-grow">
        <label htmlFor={`${fid}-to`}>{t('subs.sendTo')}</label>
        <input id={`${fid}-to`} type="email" value={to} onChange={(e) => setTo(e.target.value)} required maxLength={254} autoComplete="email" />
      </div>
      <button type="submit" className="btn btn-primary" disabled={busy}>{busy ? t('subs.sending') : t('subs.send')}</button>
      {error && <p className="field-error" role="alert">{error}</p>}
    </form>
  );
}

/** `Rektor Norrskolan = rektor@norr.se` lines as a map; the first line without `=` is returned as bad. */
export function buyerLines(text: string): { map: Record<string, string>; bad?: string } {
  const map: Record<string, string> = {};
  for (const line of text.split('\n').map((l) => l.trim()).filter(Boolean)) {
    const i = line.lastIndexOf('=');
    if (i < 0) return { map, bad: line };
    map[line.slice(0, i).trim()] = line.slice(i + 1).trim();
  }
  return { map };
}

function NewSubscription({ reports, onDone }: { reports: MailReport[]; onDone: (text: string) => void }) {
  const { t, lang } = useI18n();
  const qc = useQueryClient();
  const id = useId();
  const [name, setName] = useState('');
  const [report, setReport] = useState(reports[0]?.key ?? '');
  const chosen = reports.find((r) => r.key === report);
  const [format, setFormat] = useState('xlsx');
  const [mailLang, setMailLang] = useState<'sv' | 'en'>(lang);
  const [kind, setKind] = useState<'addresses' | 'buyers'>('addresses');
  const [addresses, setAddresses] = useState('');
  const [within, setWithin] = useState(90);
  const [buyers, setBuyers] = useState('');
  const [schedule, setSchedule] = useState(PRESETS[0].cron);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const buyersOk = chosen?.buyers ?? false;

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    const lines = buyerLines(buyers);
    if (kind === 'buyers' && lines.bad) return setError(t('subs.badBuyerLine', { line: lines.bad }));
    const input: SubscriptionInput = {
      name: name.trim(), report, format, lang: mailLang, schedule,
      recipients: kind === 'addresses'
        ? { kind, addresses: addresses.split(/[\n,;]/).map((a) => a.trim()).filter(Boolean) }
        : { kind, within, addresses: lines.map },
    };
    setBusy(true);
    try {
      const s = await saveSubscription(qc, input);
      onDone(t('subs.created', { name: s.name }));
      setName('');
    } catch (err) {
      setError(t('subs.invalid', { message: refusal(t, err) }));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="panel" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{t('subs.newTitle')}</h2>
      <form onSubmit={submit} className="subs-form">
        <div className="field-row">
          <div className="field field-grow"><label htmlFor={`${id}-name`}>{t('subs.name')}</label><input id={`${id}-name`} value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} /></div>
          <div className="field">
            <label htmlFor={`${id}-report`}>{t('subs.report')}</label>
            <select id={`${id}-report`} value={report} onChange={(e) => { setReport(e.target.value); if (!reports.find((r) => r.key === e.target.value)?.buyers) setKind('addresses'); }}>
              {reports.map((r) => <option key={r.key} value={r.key}>{r[lang]}</option>)}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-format`}>{t('subs.format')}</label>
            <select id={`${id}-format`} value={format} onChange={(e) => setFormat(e.target.value)}>
              {(chosen?.formats ?? ['xlsx']).map((x) => <option key={x} value={x}>{FORMAT_LABEL[x] ? t(FORMAT_LABEL[x]) : x.toUpperCase()}</option>)}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-lang`}>{t('subs.lang')}</label>
            <select id={`${id}-lang`} value={mailLang} onChange={(e) => setMailLang(e.target.value as 'sv' | 'en')}>
              <option value="sv">{t('subs.lang.sv')}</option>
              <option value="en">{t('subs.lang.en')}</option>
            </select>
          </div>
        </div>
        <fieldset className="radios">
          <legend className="field-label">{t('subs.who')}</legend>
          <label><input type="radio" name="kind" checked={kind === 'addresses'} onChange={() => setKind('addresses')} /> {t('subs.toAddresses')}</label>
          <label><input type="radio" name="kind" checked={kind === 'buyers'} onChange={() => setKind('buyers')} disabled={!buyersOk} /> {t('subs.toBuyers')}</label>
        </fieldset>
        {kind === 'addresses' ? (
          <div className="field"><label htmlFor={`${id}-addr`}>{t('subs.addresses')}</label><textarea id={`${id}-addr`} rows={3} value={addresses} onChange={(e) => setAddresses(e.target.value)} /></div>
        ) : (
          <div className="field-row">
            <div className="field"><label htmlFor={`${id}-within`}>{t('subs.within')}</label><input id={`${id}-within`} type="number" min={0} max={3660} value={within} onChange={(e) => setWithin(Number(e.target.value))} /></div>
            <div className="field field-grow"><label htmlFor={`${id}-buyers`}>{t('subs.buyerAddresses')}</label><textarea id={`${id}-buyers`} rows={3} value={buyers} onChange={(e) => setBuyers(e.target.value)} /></div>
          </div>
        )}
        <div className="field-row">
          <div className="field">
            <label htmlFor={`${id}-preset`}>{t('subs.preset')}</label>
            <select id={`${id}-preset`} value={PRESETS.some((p) => p.cron === schedule) ? schedule : ''} onChange={(e) => e.target.value && setSchedule(e.target.value)}>
              <option value="">—</option>
              {PRESETS.map((p) => <option key={p.cron} value={p.cron}>{t(p.key)}</option>)}
            </select>
          </div>
          <div className="field field-grow"><label htmlFor={`${id}-cron`}>{t('subs.schedule')}</label><input id={`${id}-cron`} value={schedule} onChange={(e) => setSchedule(e.target.value)} required maxLength={200} /></div>
        </div>
        {error && <p className="field-error" role="alert">{error}</p>}
        <div className="actions">
          <button type="submit" className="btn btn-primary" disabled={busy || !report}>{busy ? t('subs.creating') : t('subs.create')}</button>
        </div>
      </form>
    </section>
  );
}
