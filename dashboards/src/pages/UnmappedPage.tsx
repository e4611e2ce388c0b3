/**
 * Okända källor: identifiers in events that belong to no learning material, with counts,
 * and a form to map one to an existing material or a new one; below them, register rows
 * that name a school unit or person that is not there (UnresolvedReferences). Product resolution happens
 * at query time on the server, so a mapping also counts the old events.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { queries } from '../api/queries.ts';
import { mapIdentifier } from '../api/mutations.ts';
import type { UnmappedRow } from '../api/types.ts';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { KpiCard } from '../components/KpiCard.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { UnresolvedReferences } from '../components/UnresolvedReferences.tsx';
import { Empty, errorText, QueryView, Updating } from '../components/States.tsx';
import { useI18n } from '../i18n/index.tsx';
import { useReference } from '../useReference.ts';

export default function UnmappedPage() {
  const { t, f } = useI18n();
  const q = useQuery(queries.unmapped());
  const me = useQuery(queries.me());
  const isAdmin = me.data?.role === 'admin';
  const [mapping, setMapping] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const columns: Column<UnmappedRow>[] = [
    { id: 'identifier', header: t('col.identifier'), value: (r) => r.identifier, rowHeader: true, cell: (r) => <code className="ident">{r.identifier}</code> },
    { id: 'events', header: t('col.events'), value: (r) => r.events, align: 'right', cell: (r) => f.number(r.events) },
    { id: 'users', header: t('col.users'), value: (r) => r.users, align: 'right', cell: (r) => f.number(r.users) },
    { id: 'firstSeen', header: t('col.firstSeen'), value: (r) => r.firstSeen, cell: (r) => f.dateTime(r.firstSeen) },
    { id: 'lastSeen', header: t('col.lastSeen'), value: (r) => r.lastSeen, firstDir: 'desc', cell: (r) => f.dateTime(r.lastSeen) },
    {
      id: 'action', header: t('col.action'), value: () => null, sortable: false,
      cell: (r) => (
        <button type="button" className="btn btn-small" disabled={!isAdmin} aria-expanded={mapping === r.identifier} title={isAdmin ? undefined : t('unmapped.adminOnly')}
          onClick={() => { setDone(null); setMapping(mapping === r.identifier ? null : r.identifier); }}>
          {t('unmapped.map')}<span className="sr-only"> {r.identifier}</span>
        </button>
      ),
    },
  ];

  return (
    <>
      <PageHeader title={t('unmapped.title')} lead={t('unmapped.lead')} aside={<Updating active={q.isFetching && !q.isPending} />} />
      {done && <div className="notice notice-ok" role="status">{done}</div>}
      {me.data && !isAdmin && <p className="hint">{t('unmapped.adminOnly')}</p>}
      <QueryView query={q} what="what.unmapped">
        {(data) => (
          <>
            {data.rows.length > 0 && (
              <section className="kpis kpis-2" aria-label={t('unmapped.title')}>
                <KpiCard id="unmapped" label={t('unmapped.title')} value={f.number(data.rows.length)}
                  hint={t('unmapped.summary', { n: f.number(data.rows.length), events: f.number(data.rows.reduce((s, r) => s + r.events, 0)) })} />
              </section>
            )}
            {mapping && data.rows.some((r) => r.identifier === mapping) && (
              <MapForm identifier={mapping} onCancel={() => setMapping(null)} onDone={(text) => { setMapping(null); setDone(text); }} />
            )}
            <DataTable
              id="unmapped"
              title={t('unmapped.title')}
              columns={columns}
              rows={data.rows}
              rowKey={(r) => r.identifier}
              initialSort={{ key: 'events', dir: 'desc' }}
              csv={{ report: 'unmapped', params: {} }}
              empty={<Empty>{t('empty.unmapped')}</Empty>}
              rowClassName={(r) => (r.identifier === mapping ? 'row-selected' : undefined)}
            />
          </>
        )}
      </QueryView>
      <UnresolvedReferences />
    </>
  );
}

/** A suggested id for a new product from an identifier: `https://app.example.se/x` → `app-example-se`. */
export function suggestId(identifier: string): string {
  let s = identifier.trim();
  try {
    if (/^[a-z]+:\/\//i.test(s)) s = new URL(s).hostname;
  } catch {
    // not a URL: use as is
  }
  return s.toLowerCase().replace(/^www\./, '').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'product';
}

function MapForm({ identifier, onCancel, onDone }: { identifier: string; onCancel: () => void; onDone: (text: string) => void }) {
  const { t } = useI18n();
  const ref = useReference();
  const qc = useQueryClient();
  const id = useId();
  const [mode, setMode] = useState<'existing' | 'new'>(ref.products.length ? 'existing' : 'new');
  const [product, setProduct] = useState('');
  const [newId, setNewId] = useState(suggestId(identifier));
  const [name, setName] = useState('');
  const [supplier, setSupplier] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [identifier]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (mode === 'existing') {
        if (!product) throw new Error(t('unmapped.choose'));
        await mapIdentifier(qc, { identifier, product });
        onDone(t('unmapped.done', { id: identifier, product: ref.productName(product) }));
      } else {
        await mapIdentifier(qc, { identifier, create: { id: newId.trim(), name: name.trim(), supplier } });
        onDone(t('unmapped.done', { id: identifier, product: name.trim() }));
      }
    } catch (err) {
      setError(t('unmapped.failed', { message: err instanceof Error && !('status' in err) ? err.message : errorText(t, err) }));
      setBusy(false);
    }
  }

  return (
    <section className="panel map-form" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`} ref={heading} tabIndex={-1}>{t('unmapped.mapTitle', { id: identifier })}</h2>
      <form onSubmit={submit}>
        <fieldset className="radios">
          <legend className="sr-only">{t('unmapped.mapTitle', { id: identifier })}</legend>
          <label><input type="radio" name="mode" value="existing" checked={mode === 'existing'} onChange={() => setMode('existing')} disabled={!ref.products.length} /> {t('unmapped.existing')}</label>
          <label><input type="radio" name="mode" value="new" checked={mode === 'new'} onChange={() => setMode('new')} /> {t('unmapped.new')}</label>
        </fieldset>
        {mode === 'existing' ? (
          <div className="field">
            <label htmlFor={`${id}-product`}>{t('col.product')}</label>
            <select id={`${id}-product`} value={product} onChange={(e) => setProduct(e.target.value)} required>
              <option value="">{t('unmapped.choose')}</option>
              {ref.products.map((p) => <option key={p.id} value={p.id}>{p.name}{p.supplier ? ` (${p.supplier})` : ''}</option>)}
            </select>
          </div>
        ) : (
          <div className="field-row">
            <div className="field"><label htmlFor={`${id}-id`}>{t('unmapped.newId')}</label><input id={`${id}-id`} value={newId} onChange={(e) => setNewId(e.target.value)} required maxLength={100} /></div>
            <div className="field field-grow"><label htmlFor={`${id}-name`}>{t('unmapped.newName')}</label><input id={`${id}-name`} value={name} onChange={(e) => setName(e.target.value)} required maxLength={300} /></div>
            <div className="field"><label htmlFor={`${id}-sup`}>{t('unmapped.supplier')}</label><input id={`${id}-sup`} value={supplier} onChange={(e) => setSupplier(e.target.value)} maxLength={300} /></div>
          </div>
        )}
        {error && <p className="field-error" role="alert">{error}</p>}
        <div className="actions">
          <button type="submit" className="btn btn-primary" disabled={busy}>{busy ? t('unmapped.busy') : t('unmapped.submit')}</button>
          <button type="button" className="btn btn-ghost" onClick={onCancel}>{t('common.cancel')}</button>
        </div>
      </form>
    </section>
  );
}
