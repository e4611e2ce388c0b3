/**
 * The top line of every signed-in screen: the product and whose figures these are, who is
 * signed in, the language switch and sign-out. The organiser's shell and the region's share it.
 */
import type { Role } from '../api/types.ts';
import { useI18n } from '../i18n/index.tsx';

export function TopBar({ org, who, onSignOut }: { org?: string; who?: { name: string; role: Role | 'region_admin' | 'region_analyst' }; onSignOut: () => void | Promise<void> }) {
  const { t, lang, setLang } = useI18n();
  return (
    <div className="topbar-inner">
      <p className="brand">
        <span className="brand-mark" aria-hidden="true">L</span>
        {t('app.name')}
        {org && <span className="brand-org">{org}</span>}
      </p>
      <div className="topbar-tools">
        {who && <span className="who">{t('auth.signedInAs', { name: who.name, role: t(`role.${who.role}`) })}</span>}
        <button type="button" className="btn btn-ghost" lang={lang === 'sv' ? 'en' : 'sv'} aria-label={t('lang.switchLabel')} onClick={() => setLang(lang === 'sv' ? 'en' : 'sv')}>
          {t('lang.switch')}
        </button>
        <button type="button" className="btn btn-ghost" onClick={() => void onSignOut()}>
          {t('auth.signOut')}
        </button>
      </div>
    </div>
  );
}
