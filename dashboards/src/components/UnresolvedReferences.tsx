/**
 * The register half of the data-quality view: roster rows that name a school unit or person
 * that was never imported (an SS12000 export that lost its organisations). They are kept,
 * but count towards no school; shown here so nobody reads such figures unaware. Hidden
 * when everything resolves.
 */
import { useQuery } from '@tanstack/react-query';
import { queries } from '../api/queries.ts';
import type { UnresolvedRow } from '../api/types.ts';
import { useI18n } from '../i18n/index.tsx';
import type { MessageKey } from '../i18n/sv.ts';
import { DataTable, type Column } from './DataTable.tsx';

export function UnresolvedReferences() {
  const { t, f } = useI18n();
  const q = useQuery(queries.unresolved());
  const rows = q.data?.rows ?? [];
  if (!rows.length) return null;
  const columns: Column<UnresolvedRow>[] = [
    { id: 'kind', header: t('unresolved.kind'), value: (r) => r.kind, cell: (r) => t(`unresolved.${r.kind}` as MessageKey) },
    { id: 'id', header: t('unresolved.id'), value: (r) => r.id, rowHeader: true, cell: (r) => (r.id ? <code className="ident">{r.id}</code> : <span className="hint">{t('unresolved.personHidden')}</span>) },
    { id: 'from', header: t('unresolved.from'), value: (r) => r.from, cell: (r) => t(`unresolved.from.${r.from}` as MessageKey) },
    { id: 'rows', header: t('unresolved.rows'), value: (r) => r.rows, align: 'right', firstDir: 'desc', cell: (r) => f.number(r.rows) },
    { id: 'examples', header: t('unresolved.examples'), value: (r) => r.examples.join(', '), sortable: false, cell: (r) => r.examples.map((e) => <code key={e} className="ident">{e}</code>) },
  ];
  const total = rows.reduce((n, r) => n + r.rows, 0);
  return (
    <section className="panel" aria-labelledby="unresolved-h" data-testid="unresolved-references">
      <h2 id="unresolved-h">{t('unresolved.title')}</h2>
      <p className="notice notice-warn" role="status">{t('unresolved.lead')} {t('unresolved.summary', { rows: f.number(total) })}</p>
      <DataTable id="unresolved" title={t('unresolved.title')} columns={columns} rows={rows} rowKey={(r) => `${r.kind}/${r.from}/${r.id ?? ''}`} initialSort={{ key: 'rows', dir: 'desc' }} />
    </section>
  );
}
