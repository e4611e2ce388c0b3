/** One headline figure with what it means underneath. */
import type { ReactNode } from 'react';

export function KpiCard({ label, value, hint, tone, id }: { label: string; value: string; hint?: ReactNode; tone?: 'alert' | 'plain'; id?: string }) {
  return (
    <div className={`kpi${tone === 'alert' ? ' kpi-alert' : ''}`} data-kpi={id}>
      <p className="kpi-label">{label}</p>
      <p className="kpi-value">{value}</p>
      {hint && <p className="kpi-hint">{hint}</p>}
    </div>
  );
}
