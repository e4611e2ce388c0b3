/**
 * OpenID Connect settings from the environment. Sign-in is off unless an issuer is set; a
 * partial configuration stops the service at start with the variable named.
 */
export interface OidcSettings {
  issuer: URL;
  clientId: string;
  clientSecret?: string;
  /** How the client authenticates at the token endpoint: client_secret_basic (default with a secret), client_secret_post, or none (public client, PKCE only). */
  clientAuth: 'client_secret_basic' | 'client_secret_post' | 'none';
  redirectUri: URL;
  /** Claims tried in order; the first whose value names a person in the roster (or a configured admin/purchaser) wins. */
  claims: string[];
  scopes: string;
  /** Raw identifiers of administrators and purchasers; pseudonymised at start, never stored. */
  admins: string[];
  purchasers: string[];
  /** Where to send the browser after logout (defaults to the dashboard's root). */
  postLogoutRedirect?: URL;
  /** Cookies get `Secure` (and the `__Host-` prefix) when the redirect URI is https. */
  secureCookies: boolean;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** Plain http only on this machine (tests, a trial): an identity provider is otherwise reached over TLS. */
export const isTlsOrLoopback = (u: URL) => u.protocol === 'https:' || (u.protocol === 'http:' && LOOPBACK.has(u.hostname));
export const CLAIM_NAME = /^[A-Za-z0-9_:.-]{1,100}$/;
export const CLIENT_AUTHS = ['client_secret_basic', 'client_secret_post', 'none'] as const;
export const DEFAULT_CLAIMS = 'eduperson_principal_name,eppn,email,upn,preferred_username';
export const DEFAULT_SCOPES = 'openid email profile';

const url = (name: string, raw: string): URL => {
  try {
    return new URL(raw);
  } catch {
    throw new Error(`${name}: "${raw}" is not a URL`);
  }
};

const csv = (v: string | undefined) => (v ?? '').split(',').map((s) => s.trim()).filter(Boolean);

export function oidcSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): OidcSettings | null {
  const issuerRaw = env.LICENSKOLL_OIDC_ISSUER;
  if (!issuerRaw) return null;
  const issuer = url('LICENSKOLL_OIDC_ISSUER', issuerRaw);
  const clientId = env.LICENSKOLL_OIDC_CLIENT_ID;
  if (!clientId) throw new Error('LICENSKOLL_OIDC_CLIENT_ID: required when LICENSKOLL_OIDC_ISSUER is set');
  const redirectRaw = env.LICENSKOLL_OIDC_REDIRECT_URI;
  if (!redirectRaw) throw new Error('LICENSKOLL_OIDC_REDIRECT_URI: required when LICENSKOLL_OIDC_ISSUER is set (e.g. https://licenskoll.kommun.se/auth/callback)');
  const redirectUri = url('LICENSKOLL_OIDC_REDIRECT_URI', redirectRaw);
  if (!redirectUri.pathname.endsWith('/auth/callback')) throw new Error('LICENSKOLL_OIDC_REDIRECT_URI: must end with /auth/callback');
  for (const [name, u] of [['LICENSKOLL_OIDC_ISSUER', issuer], ['LICENSKOLL_OIDC_REDIRECT_URI', redirectUri]] as const) {
    if (!isTlsOrLoopback(u)) {
      throw new Error(`${name}: must be https (plain http is accepted only for 127.0.0.1 or localhost)`);
    }
  }
  const claims = csv(env.LICENSKOLL_OIDC_CLAIM || DEFAULT_CLAIMS);
  if (!claims.every((c) => CLAIM_NAME.test(c))) throw new Error('LICENSKOLL_OIDC_CLAIM: claim names are letters, digits, _ : . -');
  const postLogout = env.LICENSKOLL_OIDC_POST_LOGOUT_REDIRECT_URI ? url('LICENSKOLL_OIDC_POST_LOGOUT_REDIRECT_URI', env.LICENSKOLL_OIDC_POST_LOGOUT_REDIRECT_URI) : undefined;
  const clientSecret = env.LICENSKOLL_OIDC_CLIENT_SECRET || undefined;
  const clientAuth = (env.LICENSKOLL_OIDC_CLIENT_AUTH || (clientSecret ? 'client_secret_basic' : 'none')) as OidcSettings['clientAuth'];
  if (!(CLIENT_AUTHS as readonly string[]).includes(clientAuth)) {
    throw new Error('LICENSKOLL_OIDC_CLIENT_AUTH: must be client_secret_basic, client_secret_post or none');
  }
  if (clientAuth !== 'none' && !clientSecret) throw new Error(`LICENSKOLL_OIDC_CLIENT_SECRET: required for ${clientAuth}`);
  return {
    issuer,
    clientId,
    clientSecret,
    clientAuth,
    redirectUri,
    claims,
    scopes: env.LICENSKOLL_OIDC_SCOPES || DEFAULT_SCOPES,
    admins: csv(env.LICENSKOLL_OIDC_ADMINS),
    purchasers: csv(env.LICENSKOLL_OIDC_PURCHASERS),
    postLogoutRedirect: postLogout,
    secureCookies: redirectUri.protocol === 'https:',
  };
}

export function isLoopback(u: URL): boolean {
  return LOOPBACK.has(u.hostname);
}

/** `LICENSKOLL_SESSION_HOURS` (8): how long a dashboard sign-in lasts. */
export function sessionHoursFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.LICENSKOLL_SESSION_HOURS;
  if (!raw) return 8;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0 || n > 24 * 30) throw new Error(`LICENSKOLL_SESSION_HOURS: "${raw}" must be a number of hours, above 0 and at most 720`);
  return n;
}
