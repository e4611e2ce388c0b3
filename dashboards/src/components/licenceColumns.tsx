/** The columns of a licence row, shared by Licenser and Oanvänt. */
import type { LicenceRow } from '../api/types.ts';
import type { I18n } from '../i18n/index.tsx';
import type { Reference } from '../useReference.ts';
import type { Column } from './DataTable.tsx';
import { CostCell } from './CostCell.tsx';
import { DaysLeft } from './DaysLeft.tsx';
import { PartialBadge } from './PartialBadge.tsx';
import { scopeText } from './scopeText.ts';
import { help } from '../explain.ts';
import { UtilisationBar } from './UtilisationBar.tsx';
import { hasTarget, targetText } from '../targetText.ts';

/**
 * `onEditTarget`: given to admins and purchasers, who may set a licence's target (målgrupp).
 * Seats show the target's size beside them ("400 för 180 i GR åk 7–9"), licensed active the
 * users outside the target apart (docs/figures.md, figure 14).
 */
export function licenceColumns<R extends LicenceRow = LicenceRow>(t: I18n['t'], f: I18n['f'], ref: Reference, onEditTarget?: (r: R) => void): Column<R>[] {
  return [
    {
      id: 'licence', header: t('col.licence'), value: (r) => r.productName ?? ref.productName(r.product), rowHeader: true,
      cell: (r) => (<><span className="cell-main">{r.productName ?? ref.productName(r.product)}</span><span className="cell-sub">{r.licence}</span><PartialBadge reach={r.reach} /></>),
    },
    {
      id: 'buyer', header: t('col.buyerScope'), value: (r) => r.buyer, className: 'col-wrap',
      cell: (r) => (<><span className="cell-main">{r.buyer}</span><span className="cell-sub" title={t('col.scope')}>{scopeText(r.scope, t, ref.schoolName)}</span></>),
    },
    {
      id: 'seats', header: t('col.seats'), value: (r) => r.seats, align: 'right',
      cell: (r) => (<>
        <span className="cell-main">{r.seats === null ? t('common.unlimited') : f.number(r.seats)}</span>
        {r.targetSize !== null && r.targetSize !== undefined && <span className="cell-sub" data-testid="target-size">{t('target.forSize', { n: f.number(r.targetSize), target: targetText(r.target) })}</span>}
      </>),
    },
    {
      id: 'licensedActive', header: t('col.licensedActive'), value: (r) => r.licensedActive, align: 'right',
      cell: (r) => (<>
        <span className="cell-main">{f.number(r.licensedActive)}</span>
        {(r.outsideTarget ?? 0) > 0 && <span className="cell-sub">{t('target.outsideUsers', { n: f.number(r.outsideTarget ?? 0) })}</span>}
      </>),
    },
    {
      id: 'target', header: t('col.target'), value: (r) => targetText(r.target), className: 'col-wrap',
      cell: (r) => (<>
        {hasTarget(r.target) ? <span className="cell-main">{targetText(r.target)}</span> : <span className="muted">{t('target.missing')}</span>}
        {onEditTarget && r.reach !== 'partial' && <button type="button" className="btn btn-ghost btn-small" onClick={() => onEditTarget(r)} aria-label={t('target.edit', { licence: r.licence })}>{t('target.editShort')}</button>}
      </>),
    },
    { id: 'utilisation', header: t('col.utilisation'), value: (r) => r.utilisation, firstDir: 'asc', cell: (r) => <UtilisationBar share={r.utilisation} fallback={r.seats === null ? t('common.unlimited') : r.reach === 'partial' ? t('reach.partial') : undefined} /> },
    { id: 'unusedSeats', header: t('col.unusedSeats'), value: (r) => r.unusedSeats, align: 'right', cell: (r) => f.number(r.unusedSeats) },
    { id: 'unusedCost', header: t('col.unusedCost'), value: (r) => r.unusedCost, align: 'right', cell: (r) => <strong>{f.money(r.unusedCost, r.currency)}</strong> },
    { id: 'costPerActive', header: t('col.costPerActive'), value: (r) => r.costPerActiveUser, align: 'right', cell: (r) => f.money(r.costPerActiveUser, r.currency) },
    { id: 'cost', header: t('col.cost'), value: (r) => r.cost, align: 'right', cell: (r) => <CostCell r={r} /> },
    { id: 'price', header: t('col.wholePrice'), help: help('wholePrice', f.lang), value: (r) => r.price, align: 'right', cell: (r) => f.money(r.price, r.currency) },
    { id: 'end', header: t('col.daysToExpiry'), help: help('daysToExpiry', f.lang), value: (r) => r.daysToExpiry, firstDir: 'asc', cell: (r) => <DaysLeft end={r.end} days={r.daysToExpiry} /> },
  ];
}

