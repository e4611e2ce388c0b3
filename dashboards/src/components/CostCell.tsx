/** A licence's cost to the viewer: the price, or for a shared licence their audience share, with the share spelled out. */
import { useI18n } from '../i18n/index.tsx';

export function CostCell({ r }: { r: { cost: number; price: number; currency?: string; reach?: 'full' | 'partial'; shareYours?: number | null; shareWhole?: number | null } }) {
  const { t, f } = useI18n();
  if (r.reach !== 'partial' || r.shareWhole == null) return <>{f.money(r.cost, r.currency)}</>;
  return (
    <>
      <span className="cell-main">{f.money(r.cost, r.currency)}</span>
      <span className="cell-sub" title={t('share.hint')}>{t('share.of', { yours: f.number(r.shareYours ?? 0), whole: f.number(r.shareWhole) })}</span>
    </>
  );
}
