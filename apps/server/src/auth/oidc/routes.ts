import { Hono, type Context } from 'hono';
import { deleteCookie, getCookie, getSignedCookie, setCookie, setSignedCookie } from 'hono/cookie';
import * as client from 'openid-client';
import { ApiError, todayInZone } from '@licenskoll/core';
import { access } from '../access.ts';
import { auditRow, type Actor } from '../audit.ts';
import { log } from '../../log.ts';
import { clientAddress } from '../auth.ts';
import type { AppContext, Caller } from '../../context.ts';
import { checkCsrf, sessionName } from '../sessions.ts';
import { personOf, roleOf } from '../staff-roles.ts';
import { isLoopback, type OidcSettings } from './settings.ts';
import { sessionCookieName, signInBase } from './sign-in-settings.ts';

/**
 * Dashboard sign-in with OpenID Connect: authorization code flow with PKCE (S256), state and
 * nonce, against the municipality's identity provider.
 *
 *   GET  /auth/config    {oidc, login, logout, signedIn}: whether sign-in is configured, and this browser signed in (public)
 *   GET  /auth/login     ?returnTo=/path  -> 302 to the identity provider
 *   GET  /auth/callback  the redirect URI: code -> tokens -> claim -> roster person -> role -> session cookie -> 302 returnTo
 *   POST /auth/logout    with the X-CSRF-Token header: ends the session, clears the cookie
 *
 * The claim's value is normalised and pseudonymised like any identifier and looked up among
 * the roster's identities; the role comes from the person's duties (or from the configured
 * administrators and purchasers). No identifier is stored in clear.
 *
 * Each organiser's routes are under `/auth/<organiser>/` with its own settings (the
 * environment's or its stored ones: SignInSettings); the first organiser's are also under
 * `/auth/`, as before tenants. The login state cookie is signed with a key of the organiser's
 * own, carries its id and is scoped to its path, so a callback cannot be completed at another.
 */

const STATE_COOKIE = 'lk_oidc';

interface LoginState {
  /** The organiser the login was started at. */
  o: string;
  s: string;
  n: string;
  v: string;
  r: string;
}

/** Only a path on this site: never another origin (`//x`, `/\\x`, `https:`). */
export function safeReturnTo(raw: string | undefined): string {
  if (!raw || raw.length > 500 || !/^\/(?![/\\])[^\s\\]*$/.test(raw)) return '/';
  return raw;
}

/** `base`: where these routes are mounted (`/auth`, or `/auth/<organiser>`). */
export function authRoutes(ctx: AppContext, base = '/auth') {
  const acc = access(ctx);
  const app = new Hono();
  const organiser = ctx.organiser?.id ?? '';
  const stateSecret = ctx.pseudo.hash('\u0000licenskoll:oidc-login-state-cookie');
  const today = () => ctx.today ?? todayInZone(ctx.config.timeZone);

  app.use('*', async (c, next) => {
    c.header('Cache-Control', 'no-store');
    await next();
  });
  // `signedIn`: whether this browser's session cookie is one of this organiser's, so that the
  // dashboard asks /v1/me with it only then (an unknown cookie would be a 401 there).
  // Unknown cookies count as failed attempts of the address, as on the API (auth.ts).
  app.get('/config', async (c) => {
    const oidc = await acc.signIn.current();
    const cookie = getCookie(c, sessionCookieName(oidc));
    const failures = `fail:${clientAddress(c)}`;
    let signedIn = false;
    if (cookie && acc.limiter.peek(failures, acc.limiter.limits.failedAuth)) {
      signedIn = Boolean(await acc.sessions.resolve(cookie, today()));
      if (!signedIn) acc.limiter.take(failures, acc.limiter.limits.failedAuth);
    }
    return c.json({ oidc: Boolean(oidc), login: oidc ? `${base}/login` : null, logout: `${base}/logout`, tokenSignIn: true, signedIn });
  });

  const settings = async (): Promise<OidcSettings> => {
    const s = await acc.signIn.current();
    if (!s) throw new ApiError(404, 'not_found', 'OpenID Connect sign-in is not configured for this organiser (LICENSKOLL_OIDC_ISSUER, or PUT /v1/sign-in/oidc): sign in with a token');
    return s;
  };

  // One discovery per settings: new settings (PUT /v1/sign-in/oidc) are discovered anew.
  let discovered: { for: OidcSettings; at: number; config: Promise<client.Configuration> } | null = null;
  const configuration = async (oidc: OidcSettings): Promise<client.Configuration> => {
    if (!discovered || discovered.for !== oidc || Date.now() - discovered.at > 3600_000) {
      const auth =
        oidc.clientAuth === 'none' ? client.None()
        : oidc.clientAuth === 'client_secret_post' ? client.ClientSecretPost(oidc.clientSecret)
        : client.ClientSecretBasic(oidc.clientSecret);
      const config = client.discovery(oidc.issuer, oidc.clientId, oidc.clientSecret ? { client_secret: oidc.clientSecret } : undefined, auth, {
        ...(oidc.issuer.protocol === 'http:' && isLoopback(oidc.issuer) ? { execute: [client.allowInsecureRequests] } : {}),
        timeout: 10,
      });
      const mine = { for: oidc, at: Date.now(), config };
      discovered = mine;
      config.catch(() => {
        if (discovered === mine) discovered = null;
      });
    }
    try {
      return await discovered.config;
    } catch (e) {
      log.error('oidc discovery failed', { error: (e as Error).name, code: (e as { code?: string }).code });
      throw new ApiError(503, 'idp_unavailable', 'the identity provider could not be reached: try again shortly, or sign in with a token');
    }
  };
  const limit = (c: Context) => {
    const wait = acc.limiter.take(`signin:${clientAddress(c)}`, acc.limiter.limits.signIn);
    if (wait) {
      c.header('Retry-After', String(wait));
      throw new ApiError(429, 'rate_limited', `too many sign-in attempts from this address: retry after ${wait} s`);
    }
  };
  const audit = async (c: Context, who: Actor, action: string, status: number, params: Record<string, unknown>) => {
    c.set('auditParams', params);
    try {
      await acc.audit.append(auditRow(c, who, 'session', action, status));
    } catch (e) {
      log.error('audit log write failed', { error: (e as Error).message.slice(0, 200), path: c.req.path });
      throw new ApiError(503, 'storage_unavailable', 'the sign-in could not be recorded: try again shortly');
    }
  };
  const cookieBase = (oidc: OidcSettings) => ({ httpOnly: true, secure: oidc.secureCookies, sameSite: 'Lax' as const });
  // The state cookie is the organiser's own (path, name): a login started at another organiser does
  // not overwrite it. The first's is as before tenants, for its callback under /auth or /auth/<id>.
  const statePath = signInBase(ctx.organiser);
  const stateCookie = statePath === '/auth' ? STATE_COOKIE : `${STATE_COOKIE}_${organiser.replace(/-/g, '_')}`;

  app.get('/login', async (c) => {
    limit(c);
    const oidc = await settings();
    const config = await configuration(oidc);
    const state: LoginState = {
      o: organiser, s: client.randomState(), n: client.randomNonce(), v: client.randomPKCECodeVerifier(), r: safeReturnTo(c.req.query('returnTo')),
    };
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: oidc.redirectUri.href,
      scope: oidc.scopes,
      response_type: 'code',
      code_challenge: await client.calculatePKCECodeChallenge(state.v),
      code_challenge_method: 'S256',
      state: state.s,
      nonce: state.n,
    });
    await setSignedCookie(c, stateCookie, Buffer.from(JSON.stringify(state)).toString('base64url'), stateSecret, {
      ...cookieBase(oidc), path: statePath, maxAge: 600,
    });
    return c.redirect(url.href, 302);
  });

  app.get('/callback', async (c) => {
    limit(c);
    const oidc = await settings();
    const raw = await getSignedCookie(c, stateSecret, stateCookie);
    deleteCookie(c, stateCookie, { path: statePath, secure: oidc.secureCookies });
    if (!raw) throw new ApiError(400, 'signin_state', `the sign-in was not started here or took more than 10 minutes: start again at ${base}/login`);
    let state: LoginState;
    try {
      state = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as LoginState;
    } catch {
      throw new ApiError(400, 'signin_state', `the sign-in state is unreadable: start again at ${base}/login`);
    }
    if (state.o !== organiser) throw new ApiError(400, 'signin_state', `the sign-in was started for another organiser: start again at ${base}/login`);
    const idpError = c.req.query('error');
    if (idpError) {
      throw new ApiError(401, 'signin_refused', `the identity provider did not sign you in (${idpError.replace(/[^A-Za-z0-9_.-]/g, '').slice(0, 60)})`);
    }
    const config = await configuration(oidc);
    const current = new URL(oidc.redirectUri.href);
    current.search = new URL(c.req.url).search;
    let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
    try {
      tokens = await client.authorizationCodeGrant(config, current, {
        pkceCodeVerifier: state.v, expectedState: state.s, expectedNonce: state.n, idTokenExpected: true,
      });
    } catch (e) {
      log.warn('oidc code exchange failed', { error: (e as Error).name, code: (e as { code?: string }).code });
      throw new ApiError(401, 'signin_failed', `the sign-in could not be completed (the answer from the identity provider did not check out): start again at ${base}/login`);
    }
    let claims: Record<string, unknown> = { ...(tokens.claims() ?? {}) };
    if (!oidc.claims.some((k) => typeof claims[k] === 'string') && tokens.access_token && config.serverMetadata().userinfo_endpoint) {
      try {
        claims = { ...claims, ...(await client.fetchUserInfo(config, tokens.access_token, String(claims.sub))) };
      } catch (e) {
        log.warn('oidc userinfo failed', { error: (e as Error).name });
      }
    }
    const d = today();
    for (const claim of oidc.claims) {
      const value = claims[claim];
      if (typeof value !== 'string' || !value.trim() || value.length > 512) continue;
      const subjectKey = ctx.pseudo.user(value);
      const personKey = await personOf(ctx.storage, subjectKey);
      const role = await roleOf(ctx.storage, { subjectKey, personKey }, d, acc.roles);
      if (!role) continue;
      const { secret, info } = await acc.sessions.create({ subjectKey, personKey, claim });
      const caller: Caller = { ...role, name: sessionName(info), tokenId: `session:${info.id.slice(0, 16)}` };
      await audit(c, caller, 'signin', 302, { claim, person: personKey || null });
      setCookie(c, sessionCookieName(oidc), secret, { ...cookieBase(oidc), path: '/', maxAge: Math.round(acc.sessions.hours * 3600) });
      return c.redirect(state.r, 302);
    }
    const firstClaim = oidc.claims.find((k) => typeof claims[k] === 'string');
    const nobody: Actor = {
      role: 'none', name: firstClaim ? sessionName({ claim: firstClaim, subjectKey: ctx.pseudo.user(String(claims[firstClaim])) }) : 'oidc:unknown',
      tokenId: 'signin:denied', schools: [], groups: [],
    };
    await audit(c, nobody, 'signin.denied', 403, { claims: oidc.claims.filter((k) => typeof claims[k] === 'string') });
    throw new ApiError(403, 'no_role',
      `you are signed in at the identity provider, but Licenskoll has no role for you: none of the claims ${oidc.claims.join(', ')} names a ` +
      'principal or teacher duty in the school register, or a configured administrator or purchaser. Ask your administrator.');
  });

  app.post('/logout', async (c) => {
    // A session ends here even when its organiser's sign-in has been turned off since.
    const oidc = await acc.signIn.current();
    const cookieName = sessionCookieName(oidc);
    const secret = getCookie(c, cookieName);
    if (!secret) return c.json({ loggedOut: true });
    if (!checkCsrf(secret, c.req.header('x-csrf-token'))) {
      throw new ApiError(403, 'csrf', 'logout must carry the X-CSRF-Token header from GET /v1/me');
    }
    const s = await acc.sessions.resolve(secret, today());
    await acc.sessions.revoke(secret);
    deleteCookie(c, cookieName, { path: '/', secure: Boolean(oidc?.secureCookies) });
    if (s) await audit(c, s.caller, 'signout', 200, {});
    let endSessionUrl: string | undefined;
    try {
      if (!oidc) throw new Error('no identity provider');
      const config = await configuration(oidc);
      if (config.serverMetadata().end_session_endpoint) {
        endSessionUrl = client.buildEndSessionUrl(config, {
          client_id: oidc.clientId,
          ...(oidc.postLogoutRedirect ? { post_logout_redirect_uri: oidc.postLogoutRedirect.href } : {}),
        }).href;
      }
    } catch {
      /* the local session is ended whatever the identity provider says */
    }
    return c.json({ loggedOut: true, ...(endSessionUrl ? { endSessionUrl } : {}) });
  });

  app.all('/*', () => {
    throw new ApiError(404, 'not_found', `no sign-in endpoint here: see ${base}/config`);
  });
  return app;
}
