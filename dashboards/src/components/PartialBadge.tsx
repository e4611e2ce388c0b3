/** Marks a licence whose figures cover only the selected school unit(s) of a wider licence. */
import { useI18n } from '../i18n/index.tsx';
import { help } from '../explain.ts';
import { Badge } from './Badge.tsx';

export function PartialBadge({ reach }: { reach?: 'full' | 'partial' }) {
  const { t, lang } = useI18n();
  if (reach !== 'partial') return null;
  return (
    <span className="partial">
      <Badge tone="info" title={t('reach.partialHint')} help={help('reach.partial', lang)} label={t('reach.partial')}>{t('reach.partial')}</Badge>
      <span className="sr-only">{t('reach.partialHint')}</span>
    </span>
  );
}
