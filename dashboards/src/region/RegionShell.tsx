/**
 * The dashboard for a region token (lkr_…): the region's one page and nothing of an
 * organiser's, since a region token reads only the region's endpoints (every other answers 403).
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { queries } from '../api/queries.ts';
import type { RegionMe } from '../api/types.ts';
import { signOut } from '../auth/session.ts';
import { TopBar } from '../components/TopBar.tsx';
import { useI18n } from '../i18n/index.tsx';
import { RegionPage } from './RegionPage.tsx';

export default function RegionShell() {
  const { t } = useI18n();
  const qc = useQueryClient();
  const me = useQuery(queries.me());
  const region = me.data as unknown as RegionMe | undefined;
  return (
    <div className="app">
      <a className="skip" href="#main">{t('app.skip')}</a>
      <header className="topbar">
        <TopBar org={t('region.brand')} who={region} onSignOut={() => { signOut('user'); qc.clear(); }} />
      </header>
      <main id="main" className="main" tabIndex={-1}>
        <RegionPage />
      </main>
    </div>
  );
}
