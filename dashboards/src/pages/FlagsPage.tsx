/**
 * Signaler: the low-value flags (docs/figures.md, figures 20–25) as of the period's last day,
 * each with its reason in the reader's language, the money at stake and a link to the rows
 * behind it; one CSV/Excel download from the API's answer formats.
 */
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { clean, queries } from '../api/queries.ts';
import type { FlagKind, FlagRow } from '../api/types.ts';
import { useReportApplied } from '../appliedFilters.tsx';
import { Badge, type Tone } from '../components/Badge.tsx';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { KpiCard } from '../components/KpiCard.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { Empty, QueryView, Updating } from '../components/States.tsx';
import { useI18n } from '../i18n/index.tsx';
import type { MessageKey } from '../i18n/sv.ts';
import { navigate } from '../router.ts';
import { useFilters } from '../useFilters.ts';

const TONE: Record<FlagKind, Tone> = {
  'never-used': 'danger', 'low-utilisation': 'warn', concentrated: 'info', falling: 'warn', expensive: 'warn', overlap: 'info',
};

/** The row's link with the page's period kept, so the rows shown are those of the same days. */
function withPeriod(link: string, search: string): string {
  const [path, query = ''] = link.split('?');
  const q = new URLSearchParams(query);
  const here = new URLSearchParams(search);
  for (const k of ['period', 'from', 'to']) {
    const v = here.get(k);
    if (v && !q.has(k)) q.set(k, v);
  }
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

export default function FlagsPage() {
  const { t, f, lang } = useI18n();
  const { filters, search } = useFilters();
  const params = { asOf: filters.asOf, school: filters.school, product: filters.product };
  const q = useQuery(queries.flags(params));
  useReportApplied(q.data?.params);

  const columns = useMemo<Column<FlagRow>[]>(() => [
    {
      id: 'flag', header: t('col.flag'), value: (r) => t(`flags.kind.${r.flag}` as MessageKey),
      cell: (r) => <Badge tone={TONE[r.flag]}>{t(`flags.kind.${r.flag}` as MessageKey)}</Badge>,
    },
    {
      id: 'product', header: t('col.product'), value: (r) => r.productName, rowHeader: true,
      cell: (r) => (<><span className="cell-main">{r.productName}</span><span className="cell-sub">{r.licenceId} · {r.buyer}</span></>),
    },
    { id: 'reason', header: t('col.reason'), value: (r) => (lang === 'sv' ? r.reason : r.reasonEn), cell: (r) => <span className="flag-reason">{lang === 'sv' ? r.reason : r.reasonEn}</span> },
    { id: 'sek', header: t('col.atStake'), value: (r) => r.sek, align: 'right', cell: (r) => f.money(r.sek, r.currency) },
    {
      id: 'link', header: t('col.action'), value: () => null, sortable: false, help: null,
      cell: (r) => {
        const href = withPeriod(r.link, search.toString());
        return <a href={href} onClick={(e) => { e.preventDefault(); navigate(href); }}>{t('flags.show')}</a>;
      },
    },
  ], [t, f, lang, search]);

  return (
    <>
      <PageHeader title={t('flags.title')} lead={t('flags.lead')} aside={<Updating active={q.isPlaceholderData} />} />
      <QueryView query={q} what="what.flags">
        {(data) => {
          if (data.rows.length === 0) return <Empty>{t('empty.flags')}</Empty>;
          // A licence with several flags counts once, with its largest amount: the money is the same money.
          const most = new Map<string, number>();
          for (const r of data.rows) most.set(r.licenceId, Math.max(most.get(r.licenceId) ?? 0, r.sek));
          const total = [...most.values()].reduce((a, x) => a + x, 0);
          const licences = most.size;
          return (
            <>
              <section className="kpis kpis-2" aria-label={t('flags.title')}>
                <KpiCard label={t('flags.total')} value={f.money(total)} tone={total > 0 ? 'alert' : 'plain'}
                  hint={t('flags.count', { n: f.number(data.rows.length), licences: f.number(licences) })} />
              </section>
              <DataTable id="flags" title={t('flags.title')} columns={columns} rows={data.rows} rowKey={(r) => `${r.flag}|${r.licenceId}|${r.otherLicenceId ?? ''}`}
                initialSort={{ key: 'sek', dir: 'desc' }} csv={{ report: 'flags', params: clean(params) }} busy={q.isPlaceholderData} />
            </>
          );
        }}
      </QueryView>
    </>
  );
}
