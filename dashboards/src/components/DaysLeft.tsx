/** A licence's end date with the days left; within 30 days red, within 90 amber, ended grey. */
import { useI18n } from '../i18n/index.tsx';
import { Badge } from './Badge.tsx';

export function DaysLeft({ end, days }: { end: string; days: number | null | undefined }) {
  const { t, f } = useI18n();
  if (days === null || days === undefined) return <span>{f.date(end)}</span>;
  const tone = days < 0 ? 'neutral' : days <= 30 ? 'danger' : days <= 90 ? 'warn' : null;
  const text = days < 0 ? t('common.ended') : t('common.days', { n: f.integer(days) });
  return (
    <span className="days-left">
      <span className="days-date">{f.date(end)}</span>
      {tone ? <Badge tone={tone}>{text}</Badge> : <span className="muted">{text}</span>}
    </span>
  );
}
