/**
 * Sign-in with the school's account (when the organiser has it: school-sign-in.ts) or with a
 * pasted API token, checked against /v1/me before it is kept.
 */
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { ApiError, whoAmI } from '../api/client.ts';
import type { Me } from '../api/types.ts';
import { errorText } from '../components/States.tsx';
import { useI18n } from '../i18n/index.tsx';
import { COOKIE_SESSION, signInConfig } from './school-sign-in.ts';
import { takeSignOutReason } from './session.ts';

export function SignIn({ onSignedIn }: { onSignedIn: (me: Me, token: string) => void }) {
  const { t, lang, setLang } = useI18n();
  const id = useId();
  const [value, setValue] = useState('');
  const [busy, setBusy] = useState(false);
  const [reason] = useState(takeSignOutReason);
  const [error, setError] = useState<string | null>(null);
  const [schoolLogin, setSchoolLogin] = useState<string | null>(null);
  const signedIn = useRef(onSignedIn);
  signedIn.current = onSignedIn;

  useEffect(() => {
    let live = true;
    void signInConfig().then((config) => {
      if (!live || !config) return;
      if (config.oidc && config.login) setSchoolLogin(config.login);
      // Back from the identity provider (or a reload): the organiser's session cookie signs in.
      if (config.signedIn && !reason) {
        whoAmI<Me>(COOKIE_SESSION).then(
          (me) => live && me.via === 'session' && signedIn.current(me, COOKIE_SESSION),
          () => {},
        );
      }
    });
    return () => {
      live = false;
    };
  }, [reason]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const token = value.trim();
    if (!token) {
      setError(t('signin.empty'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const me = await whoAmI<Me>(token);
      onSignedIn(me, token);
    } catch (err) {
      setError(err instanceof ApiError && err.status === 401 ? t('signin.wrong') : errorText(t, err));
      setBusy(false);
    }
  }

  return (
    <main className="signin" id="main">
      <div className="signin-card">
        <div className="signin-top">
          <p className="brand"><span className="brand-mark" aria-hidden="true">L</span>{t('app.name')}</p>
          <button type="button" className="btn btn-ghost" lang={lang === 'sv' ? 'en' : 'sv'} onClick={() => setLang(lang === 'sv' ? 'en' : 'sv')} aria-label={t('lang.switchLabel')}>
            {t('lang.switch')}
          </button>
        </div>
        <h1>{t('signin.title')}</h1>
        <p className="lead">{t('app.tagline')}</p>
        {reason && !error && <p className="notice" role="status">{t(reason === 'expired' ? 'signin.expired' : 'signin.signedOut')}</p>}
        {schoolLogin && (
          <p>
            <a className="btn btn-primary" href={`${schoolLogin}?returnTo=${encodeURIComponent(`/${location.search}`)}`}>{t('signin.school')}</a>
          </p>
        )}
        {schoolLogin && <p className="help">{t('signin.orToken')}</p>}
        <form onSubmit={submit} noValidate>
          <label htmlFor={`${id}-token`}>{t('signin.tokenLabel')}</label>
          <p id={`${id}-help`} className="help">{t('signin.lead')}</p>
          <input
            id={`${id}-token`}
            name="token"
            type="password"
            autoComplete="off"
            spellCheck={false}
            value={value}
            onChange={(e) => setValue(e.target.value)}
            aria-describedby={`${id}-help${error ? ` ${id}-error` : ''}`}
            aria-invalid={error ? true : undefined}
            autoFocus
          />
          {error && <p id={`${id}-error`} className="field-error" role="alert">{error}</p>}
          <button type="submit" className="btn btn-primary" disabled={busy}>{busy ? t('signin.checking') : t('signin.submit')}</button>
        </form>
        <p className="help">{t('signin.hint')}</p>
      </div>
    </main>
  );
}
