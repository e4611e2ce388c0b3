/**
 * Flytta licenser före köp (docs/figures.md, figure 18): spare seats of one school unit's
 * licence that can go to a unit lacking them, with what that saves against buying. Shown on
 * Licenser and Förnyelser; CSV/Excel from the API's answer formats.
 */
import { useQuery } from '@tanstack/react-query';
import { COLUMNS } from '../../../packages/reports/src/columns.ts';
import { clean, queries, type SeatMovesParams } from '../api/queries.ts';
import type { SeatMoveRow } from '../api/types.ts';
import { useI18n } from '../i18n/index.tsx';
import { Badge } from './Badge.tsx';
import { DataTable, type Column } from './DataTable.tsx';

export function SeatMovesPanel({ params }: { params: SeatMovesParams }) {
  const { t, f, lang } = useI18n();
  const q = useQuery(queries.seatMoves(params));
  const rows = q.data?.rows ?? [];
  if (!q.data || rows.length === 0) return null;
  const help = (key: string) => (lang === 'sv' ? COLUMNS[key].meaningSv : COLUMNS[key].meaningEn);
  const columns: Column<SeatMoveRow>[] = [
    { id: 'moveProduct', header: t('col.product'), value: (r) => r.productName, rowHeader: true, help: null },
    { id: 'moveFrom', header: t('moves.from'), value: (r) => r.fromSchoolName, help: help('surplus'),
      cell: (r) => (<><span className="cell-main">{r.fromSchoolName}</span><span className="cell-sub">{t('moves.spare', { n: f.number(r.surplus), seats: f.number(r.fromSeats), used: f.number(r.fromInUse) })}</span></>) },
    { id: 'moveTo', header: t('moves.to'), value: (r) => r.toSchoolName, help: help('lacking'),
      cell: (r) => (<><span className="cell-main">{r.toSchoolName}</span>
        {r.reason === 'overused'
          ? <span className="cell-sub">{t('moves.over', { used: f.number(r.toInUse), seats: f.number(r.toSeats ?? 0) })}</span>
          : <span className="cell-sub"><Badge tone="warn">{t('moves.noLicence')}</Badge> {t('moves.users', { n: f.number(r.lacking) })}</span>}</>) },
    { id: 'moveSeats', header: t('moves.seats'), value: (r) => r.seats, align: 'right', help: null, cell: (r) => <strong>{f.number(r.seats)}</strong> },
    { id: 'moveSeatPrice', header: t('moves.seatPrice'), value: (r) => r.seatPrice, align: 'right', help: help('seatPrice'), cell: (r) => f.money(r.seatPrice, r.currency) },
    { id: 'moveSaving', header: t('moves.saving'), value: (r) => r.saving, align: 'right', help: help('saving'), cell: (r) => <strong>{f.money(r.saving, r.currency)}</strong> },
  ];
  return (
    <DataTable
      id="seat-moves"
      title={t('moves.title')}
      columns={columns}
      rows={rows}
      rowKey={(r) => `${r.fromLicence}|${r.toLicence}|${r.toSchool}`}
      initialSort={{ key: 'moveSaving', dir: 'desc' }}
      csv={{ report: 'seatMoves', params: clean(params) }}
      summary={<p>{t('moves.summary', { n: f.number(q.data.totals.seats), saving: f.money(q.data.totals.saving) })}</p>}
      busy={q.isPlaceholderData}
    />
  );
}
