/**
 * The dashboard for a region token (lkr_…): the region's one page and nothing of an
 * organiser's, since a region token reads only the region's endpoints (every other answers 403).
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { queries } from '../api/queries.ts';
import type { RegionMe } from '../api/types.ts';
import { signOut } from '../auth/session.ts';
import { useI18n } from '../i18n/index.tsx';
import { RegionPage } from './RegionPage.tsx';

export default function RegionShell() {
  const { t, lang, setLang } = useI18n();
  const qc = useQueryClient();
  const me = useQuery(queries.me());
  const region = me.data as unknown as RegionMe | undefined;
  return (
    <div className="app">
      <a className="skip" href="#main">{t('app.skip')}</a>
      <header className="topbar">
        <div className="topbar-inner">
          <p className="brand"><span className="brand-mark" aria-hidden="true">L</span>{t('app.name')}<span className="brand-org">{t('region.brand')}</span></p>
          <div className="topbar-tools">
            {region && <span className="who">{t('auth.signedInAs', { name: region.name, role: t(`role.${region.role}`) })}</span>}
            <button type="button" className="btn btn-ghost" lang={lang === 'sv' ? 'en' : 'sv'} aria-label={t('lang.switchLabel')} onClick={() => setLang(lang === 'sv' ? 'en' : 'sv')}>{t('lang.switch')}</button>
            <button type="button" className="btn btn-ghost" onClick={() => { signOut('user'); qc.clear(); }}>{t('auth.signOut')}</button>
          </div>
        </div>
      </header>
      <main id="main" className="main" tabIndex={-1}>
        <RegionPage />
      </main>
    </div>
  );
}
