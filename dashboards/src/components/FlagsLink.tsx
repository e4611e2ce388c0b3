/** The way from the overview and the licences to the flags (Signaler), with the same filters. */
import { useI18n } from '../i18n/index.tsx';
import { hrefWithFilters, navigate } from '../router.ts';
import { useFilters } from '../useFilters.ts';

export function FlagsLink() {
  const { t } = useI18n();
  const { search } = useFilters();
  const href = hrefWithFilters('/flags', search.toString());
  return (
    <p className="page-link" data-flags-link>
      <a href={href} onClick={(e) => { e.preventDefault(); navigate(href); }}>{t('flags.link')}</a>
    </p>
  );
}
