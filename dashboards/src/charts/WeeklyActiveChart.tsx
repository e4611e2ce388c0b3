/**
 * Active pupils per week (Monday-based weeks from the overview report). Recharts lives
 * only in this lazy chunk. The chart is described in text (its label names the span,
 * the highest and the latest week) and the same figures are one click away as a table.
 */
import { Area, AreaChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useI18n } from '../i18n/index.tsx';

export interface WeekPoint { week: string; activeUsers: number }

export default function WeeklyActiveChart({ series }: { series: WeekPoint[] }) {
  const { t, f } = useI18n();
  const max = series.reduce((m, p) => Math.max(m, p.activeUsers), 0);
  const latest = series.length ? series[series.length - 1].activeUsers : 0;
  const alt = t('overview.trendAlt', {
    first: f.date(series[0]?.week), last: f.date(series[series.length - 1]?.week), max: f.number(max), latest: f.number(latest),
  });
  const tick = (w: string) => (f.lang === 'sv' ? w.slice(5) : f.date(w).replace(/ \d{4}$/, ''));
  return (
    <div className="chart" role="img" aria-label={alt}>
      <ResponsiveContainer width="100%" height={240}>
        <AreaChart data={series} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
          <defs>
            <linearGradient id="activeFill" x1="0" y1="0" x2="0" y2="1">
              <stop offset="0%" stopColor="#2f6db5" stopOpacity={0.28} />
              <stop offset="100%" stopColor="#2f6db5" stopOpacity={0.03} />
            </linearGradient>
          </defs>
          <CartesianGrid stroke="#e3e7ed" vertical={false} />
          <XAxis dataKey="week" tickFormatter={tick} tick={{ fill: '#4a5566', fontSize: 12 }} tickLine={false} axisLine={{ stroke: '#c9d0da' }} minTickGap={24} />
          <YAxis allowDecimals={false} tickFormatter={(v: number) => f.number(v)} tick={{ fill: '#4a5566', fontSize: 12 }} tickLine={false} axisLine={false} width={48} />
          <Tooltip
            formatter={(v) => [f.number(Number(v)), t('col.activeUsers')]}
            labelFormatter={(w) => `${t('col.week')} ${f.date(String(w))}`}
            contentStyle={{ borderRadius: 6, borderColor: '#c9d0da', fontSize: 13 }}
          />
          <Area type="monotone" dataKey="activeUsers" name={t('col.activeUsers')} stroke="#1d4e89" strokeWidth={2} fill="url(#activeFill)" isAnimationActive={false} dot={series.length <= 12 ? { r: 3, fill: '#1d4e89' } : false} />
        </AreaChart>
      </ResponsiveContainer>
    </div>
  );
}
