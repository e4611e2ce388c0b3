/** How a period preset is named on screen: `Läsår 2025/26`, `HT 2025`, `mars 2026`. */
import type { Formatters } from './format.ts';
import type { Translate } from './i18n/index.tsx';
import { periodFromKey, type Period } from './periods.ts';

export function periodLabel(t: Translate, f: Formatters, p: Period | string): string {
  const period = typeof p === 'string' ? periodFromKey(p) : p;
  if (!period) return t('period.custom');
  switch (period.kind) {
    case 'schoolYear': return t('period.schoolYear', { y: period.year, y2: String((period.year + 1) % 100).padStart(2, '0') });
    case 'term': return t(period.term === 'HT' ? 'period.ht' : 'period.vt', { y: period.year });
    case 'month': {
      const s = f.month(period.month!);
      return s.charAt(0).toUpperCase() + s.slice(1);
    }
  }
}
