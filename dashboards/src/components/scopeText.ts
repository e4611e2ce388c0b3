/** A licence's scope in words: the whole organiser, named school units, or a number of groups. */
import type { LicenceRow } from '../api/types.ts';
import type { Translate } from '../i18n/index.tsx';

export function scopeText(scope: LicenceRow['scope'] | undefined, t: Translate, schoolName: (id: string) => string): string {
  if (!scope) return '–';
  if (scope.type === 'organisation') return t('common.allOrganiser');
  if (scope.type === 'school') {
    const names = scope.ids.map(schoolName);
    return names.length <= 2 ? names.join(', ') : `${names.slice(0, 2).join(', ')} +${names.length - 2}`;
  }
  return scope.ids.length === 1 ? scope.ids[0] : t('common.groups', { n: scope.ids.length });
}
