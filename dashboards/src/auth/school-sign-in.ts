/**
 * Sign-in with the school's account (OpenID Connect, docs/tenants.md). Each organiser has its
 * own at `/auth/<organiser>/`; the page is opened as `/?organiser=<id>` to use it, and without
 * one it is the first organiser's (`/auth/`). After the identity provider the server sets an
 * HttpOnly session cookie: the page holds COOKIE_SESSION instead of a token, sends no
 * Authorization header, and sends the CSRF token from /v1/me on every write.
 */
export const COOKIE_SESSION = 'cookie-session';

export interface SignInConfig {
  oidc: boolean;
  login: string | null;
  logout: string;
  /** This browser's session cookie is a session of the organiser's. */
  signedIn?: boolean;
}

/** `/auth/<organiser>` for `?organiser=<id>` in the page's address, else `/auth`. */
export function signInBase(search: string = typeof location === 'undefined' ? '' : location.search): string {
  const id = new URLSearchParams(search).get('organiser');
  return id && /^[a-z][a-z0-9-]{1,39}$/.test(id) ? `/auth/${id}` : '/auth';
}

/** Whether the organiser has sign-in with the school's account; null when the server could not say. */
export async function signInConfig(): Promise<SignInConfig | null> {
  try {
    const res = await fetch(`${signInBase()}/config`, { headers: { Accept: 'application/json' } });
    return res.ok ? ((await res.json()) as SignInConfig) : null;
  } catch {
    return null;
  }
}

/** Ends the session at the server (the cookie is HttpOnly: only the server can clear it); then the identity provider's logout, if it has one. */
export async function endCookieSession(logout: string, csrfToken: string | undefined): Promise<void> {
  try {
    const res = await fetch(logout, { method: 'POST', headers: { Accept: 'application/json', ...(csrfToken ? { 'X-CSRF-Token': csrfToken } : {}) } });
    const body = res.ok ? ((await res.json()) as { endSessionUrl?: string }) : {};
    if (body.endSessionUrl) window.location.assign(body.endSessionUrl);
  } catch {
    // Signed out here either way; the cookie ends when it expires.
  }
}
