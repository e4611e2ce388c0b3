/**
 * A share (utilisation, adoption) as text plus a bar. The percentage is always printed;
 * the bar and its colour only repeat it. Below the threshold the bar turns amber, below
 * a quarter red, and a tick marks the threshold itself. Unlimited licences have no
 * utilisation: they show the active count instead (docs/figures.md, licences).
 */
import { useI18n } from '../i18n/index.tsx';

export function UtilisationBar({ share, threshold = 0.5, fallback }: { share: number | null | undefined; threshold?: number; fallback?: string }) {
  const { f } = useI18n();
  if (share === null || share === undefined || !Number.isFinite(share)) {
    return <span className="ubar ubar-none">{fallback ?? f.percent(null)}</span>;
  }
  const width = Math.max(0, Math.min(1, share)) * 100;
  const band = share < threshold / 2 ? 'low' : share < threshold ? 'mid' : 'ok';
  return (
    <span className={`ubar ubar-${band}`}>
      <span className="ubar-text">{f.percent(share)}</span>
      <span className="ubar-track" aria-hidden="true">
        <span className="ubar-fill" style={{ width: `${width}%` }} />
        <span className="ubar-tick" style={{ left: `${threshold * 100}%` }} />
      </span>
    </span>
  );
}
