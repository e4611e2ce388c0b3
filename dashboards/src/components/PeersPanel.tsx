/**
 * Så gör andra (docs/figures.md, figure 26): per product the organiser licenses, its adoption,
 * cost per active user and price per seat beside the other organisers' median, quartiles and
 * its own rank, never naming them. Shown on Översikt and Licenser to admins and purchasers; a
 * figure with fewer than three others shows only the organiser's own value.
 */
import { useQuery } from '@tanstack/react-query';
import { queries } from '../api/queries.ts';
import type { PeerComparisonRow, PeerDistribution } from '../api/types.ts';
import { useI18n } from '../i18n/index.tsx';
import { DataTable, type Column } from './DataTable.tsx';

type Figure = 'adoption' | 'costPerActiveUser' | 'pricePerSeat';

export function PeersPanel({ from, to, product }: { from: string; to: string; product?: string }) {
  const { t, f } = useI18n();
  const me = useQuery(queries.me());
  const allowed = me.data?.role === 'admin' || me.data?.role === 'purchaser';
  const q = useQuery({ ...queries.peers({ from, to }), enabled: allowed });
  if (!allowed || !q.data) return null;
  if (!q.data.contributing) {
    return <section className="panel" data-testid="peers"><h2>{t('peers.title')}</h2><p className="muted">{t('peers.optedOut')}</p></section>;
  }
  const rows = q.data.rows.filter((r) => !product || r.product === product);
  // With no other organiser for any product (a single organiser), there is nothing to compare.
  if (!rows.some((r) => r.adoption.peers || r.costPerActiveUser.peers || r.pricePerSeat.peers)) return null;
  const show = (figure: Figure, v: number | null) => (figure === 'adoption' ? f.percent(v) : f.money(v));
  const cell = (figure: Figure) => (r: PeerComparisonRow) => {
    const d: PeerDistribution = r[figure];
    return (
      <>
        <span className="cell-main">{d.own === null ? '–' : show(figure, d.own)}</span>
        <span className="cell-sub">
          {d.peers === null
            ? t('peers.few', { n: f.number(q.data.minPeers) })
            : t('peers.others', { median: show(figure, d.median), q1: show(figure, d.q1), q3: show(figure, d.q3), n: f.number(d.peers) })}
          {d.rank !== null && <> · {t('peers.rank', { rank: f.number(d.rank), of: f.number(d.of) })}</>}
        </span>
      </>
    );
  };
  const columns: Column<PeerComparisonRow>[] = [
    { id: 'peerProduct', header: t('col.product'), value: (r) => r.name, rowHeader: true, help: null },
    { id: 'peerAdoption', header: t('peers.adoption'), value: (r) => r.adoption.own, align: 'right', help: t('peers.adoptionHelp'), cell: cell('adoption') },
    { id: 'peerCostPerActive', header: t('peers.costPerActive'), value: (r) => r.costPerActiveUser.own, align: 'right', help: t('peers.costPerActiveHelp'), cell: cell('costPerActiveUser') },
    { id: 'peerPricePerSeat', header: t('peers.pricePerSeat'), value: (r) => r.pricePerSeat.own, align: 'right', help: t('peers.pricePerSeatHelp'), cell: cell('pricePerSeat') },
  ];
  return (
    <DataTable
      id="peers"
      title={t('peers.title')}
      columns={columns}
      rows={rows}
      rowKey={(r) => r.product}
      initialSort={{ key: 'peerProduct', dir: 'asc' }}
      summary={<p>{t('peers.lead', { n: f.number(q.data.minPeers) })}</p>}
      busy={q.isPlaceholderData}
    />
  );
}
