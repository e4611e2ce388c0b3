/** One headline figure with what it means underneath, and (by its id) what the figure is. */
import type { ReactNode } from 'react';
import { help } from '../explain.ts';
import { useI18n } from '../i18n/index.tsx';
import { InfoTip } from './InfoTip.tsx';

export function KpiCard({ label, value, hint, tone, id }: { label: string; value: string; hint?: ReactNode; tone?: 'alert' | 'plain'; id?: string }) {
  const { lang } = useI18n();
  return (
    <div className={`kpi${tone === 'alert' ? ' kpi-alert' : ''}`} data-kpi={id}>
      <p className="kpi-label">{label}{id && <InfoTip text={help(`kpi.${id}`, lang)} label={label} />}</p>
      <p className="kpi-value">{value}</p>
      {hint && <p className="kpi-hint">{hint}</p>}
    </div>
  );
}
