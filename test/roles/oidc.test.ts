import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { go, signIn as signInAt, type Jar } from '../helpers/oidc-browser.ts';
import { freePort, startTestProvider } from '../helpers/oidc-provider.ts';
import { api, startServer, type RunningServer } from '../helpers/server.ts';
import { ID, YEAR, loadScenario, staffEppn } from './scenario.ts';
import { safeReturnTo } from '../../apps/server/src/auth/oidc/routes.ts';
import { oidcSettingsFromEnv } from '../../apps/server/src/auth/oidc/settings.ts';

/**
 * Dashboard sign-in against a real OpenID provider (oidc-provider) on 127.0.0.1: the
 * authorization code flow with PKCE driven over HTTP like a browser (redirects, cookies, the
 * provider's own login and consent forms), then the session cookie on the API. The role comes
 * from the roster: a `Rektor` duty makes a principal, a `Lärare` duty with an assignment or an
 * activity a teacher.
 */

/** Accounts at the identity provider: claims as an IdP would release them. */
const ACCOUNTS: Record<string, Record<string, string>> = {
  'rektor-a': { email: staffEppn.rektorA.toUpperCase(), name: 'Rektor A' },
  'larare-7a': { email: staffEppn.t7A },
  'larare-9c': { email: staffEppn.t9C },
  inkop: { email: 'inkop@kommun.tvaskolor.se' },
  stranger: { email: 'someone.else@example.org' },
};

let idp: Awaited<ReturnType<typeof startTestProvider>>;
let s: RunningServer;
let idpUrl: string;
let base: string;
const CLIENT_SECRET = 'licenskoll-test-client-secret-0123456789';

/** Signs in as an account: /auth/login -> provider -> login form -> consent form -> /auth/callback. */
const signIn = (account: string, returnTo = '/rapporter') => signInAt(base, '/auth/login', account, returnTo);

const withCookie = (jar: Jar, path: string, init: RequestInit = {}) =>
  fetch(`${base}${path}`, { ...init, headers: { ...(init.headers as Record<string, string>), cookie: jar.header(base) } });

beforeAll(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  idp = await startTestProvider([{ id: 'licenskoll', secret: CLIENT_SECRET, redirectUri: `${base}/auth/callback` }], ACCOUNTS);
  idpUrl = idp.url;

  s = await startServer({
    env: {
      PORT: String(port),
      LICENSKOLL_OIDC_ISSUER: idpUrl,
      LICENSKOLL_OIDC_CLIENT_ID: 'licenskoll',
      LICENSKOLL_OIDC_CLIENT_SECRET: CLIENT_SECRET,
      LICENSKOLL_OIDC_REDIRECT_URI: `${base}/auth/callback`,
      LICENSKOLL_OIDC_CLAIM: 'email',
      LICENSKOLL_OIDC_PURCHASERS: 'Inkop@Kommun.Tvaskolor.se',
    },
  });
  const a = api(s.url, s.adminToken);
  await loadScenario(a);
}, 180_000);

afterAll(async () => {
  await s?.stop();
  await idp?.stop();
});

describe('OpenID Connect sign-in (authorization code + PKCE) against a real provider', () => {
  it('says whether sign-in is configured', async () => {
    const r = await fetch(`${base}/auth/config`);
    expect(await r.json()).toEqual({ oidc: true, login: '/auth/login', logout: '/auth/logout', tokenSignIn: true, signedIn: false });
  });

  it('signs a principal in from their Rektor duty, with an HttpOnly SameSite=Lax session cookie', async () => {
    const { jar, authorize, callback } = await signIn('rektor-a');
    // The authorization request: code flow, PKCE S256, state and nonce.
    expect(authorize.origin).toBe(idpUrl);
    expect(authorize.searchParams.get('response_type')).toBe('code');
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(authorize.searchParams.get('state')).toBeTruthy();
    expect(authorize.searchParams.get('nonce')).toBeTruthy();
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${base}/auth/callback`);

    expect(callback.status).toBe(302);
    expect(callback.headers.get('location')).toBe('/rapporter');
    const cookie = callback.headers.getSetCookie().find((c) => c.startsWith('lk_session='))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).not.toMatch(/Secure/i); // plain http on 127.0.0.1; https gives Secure and the __Host- prefix
    expect(jar.get(base, 'lk_oidc')).toBeUndefined();

    const me = await withCookie(jar, '/v1/me');
    expect(me.status).toBe(200);
    expect((await (await withCookie(jar, '/auth/config')).json()).signedIn).toBe(true);
    const body = await me.json();
    expect(body).toMatchObject({ role: 'principal', schools: [ID.A], groups: [], via: 'session', logout: '/auth/logout' });
    expect(body.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(body.name).toMatch(/^oidc:email:[0-9a-f]{12}$/);
    expect(JSON.stringify(body)).not.toMatch(/rektor/i);

    // The session reads within the roster's scope, and nothing outside it.
    const cu = await withCookie(jar, `/v1/reports/class-usage?${YEAR}`);
    expect(cu.status).toBe(200);
    expect([...new Set((await cu.json()).rows.map((r: any) => r.group))].sort()).toEqual([ID.g7A, ID.g7B].sort());
    expect((await withCookie(jar, `/v1/reports/class-usage?${YEAR}&school=${ID.B}`)).status).toBe(403);
    expect((await withCookie(jar, '/v1/tokens')).status).toBe(403);

    // State-changing requests need the CSRF token: a cross-site form cannot send it.
    const followup = JSON.stringify({ licence: 'L-A', status: 'contacted', note: 'via dashboard' });
    const json = { 'content-type': 'application/json' };
    expect((await withCookie(jar, '/v1/followups', { method: 'POST', body: followup, headers: json })).status).toBe(403);
    expect((await withCookie(jar, '/v1/followups', { method: 'POST', body: followup, headers: { ...json, 'x-csrf-token': 'guess' } })).status).toBe(403);
    const form = await withCookie(jar, '/v1/followups', { method: 'POST', body: 'licence=L-A&status=cancel', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(form.status).toBe(403);
    const ok = await withCookie(jar, '/v1/followups', { method: 'POST', body: followup, headers: { ...json, 'x-csrf-token': body.csrfToken } });
    expect(ok.status).toBe(201);
    expect((await withCookie(jar, '/v1/followups', { method: 'POST', body: JSON.stringify({ licence: 'L-B', status: 'open' }), headers: { ...json, 'x-csrf-token': body.csrfToken } })).status).toBe(403);
    // Ingest answers without the middleware chain (routes/events.ts), through the same checks:
    // a session needs its CSRF token there too, and a principal may not send events.
    const event = JSON.stringify({ id: 'session-ingest', type: 'login', time: '2026-09-01T08:00:00+02:00', user: 'x@y.se', product: 'p.example' });
    const noCsrf = await withCookie(jar, '/v1/events', { method: 'POST', body: event, headers: json });
    expect([noCsrf.status, (await noCsrf.json()).error.code]).toEqual([403, 'csrf']);
    const principalIngest = await withCookie(jar, '/v1/events', { method: 'POST', body: event, headers: { ...json, 'x-csrf-token': body.csrfToken } });
    expect([principalIngest.status, (await principalIngest.json()).error.code]).toEqual([403, 'forbidden']);
    expect(principalIngest.headers.get('x-frame-options')).toBe('DENY');

    // Logout needs the token too, ends the session server-side and clears the cookie.
    expect((await withCookie(jar, '/auth/logout', { method: 'POST' })).status).toBe(403);
    const out = await withCookie(jar, '/auth/logout', { method: 'POST', headers: { 'x-csrf-token': body.csrfToken } });
    expect(out.status).toBe(200);
    expect(await out.json()).toMatchObject({ loggedOut: true });
    const stolen = jar.header(base);
    jar.store(base, out);
    expect(jar.get(base, 'lk_session')).toBeUndefined();
    expect((await fetch(`${base}/v1/me`, { headers: { cookie: stolen } })).status).toBe(401);
  });

  it('signs teachers in with the groups of their assignments and activities', async () => {
    const t7 = await signIn('larare-7a');
    expect(t7.callback.status).toBe(302);
    const me7 = await (await withCookie(t7.jar, '/v1/me')).json();
    expect(me7).toMatchObject({ role: 'teacher', groups: [ID.g7A], schools: [] });
    const cu = await (await withCookie(t7.jar, `/v1/reports/class-usage?${YEAR}`)).json();
    expect([...new Set(cu.rows.map((r: any) => r.group))]).toEqual([ID.g7A]);
    expect((await withCookie(t7.jar, `/v1/reports/licences?${YEAR}`)).status).toBe(403);

    const t9 = await signIn('larare-9c');
    const me9 = await (await withCookie(t9.jar, '/v1/me')).json();
    expect(me9).toMatchObject({ role: 'teacher', groups: [ID.g9C] });
  });

  it('signs a configured purchaser in, and refuses someone without a role', async () => {
    const p = await signIn('inkop');
    expect((await (await withCookie(p.jar, '/v1/me')).json()).role).toBe('purchaser');

    const x = await signIn('stranger');
    expect(x.callback.status).toBe(403);
    expect((await x.callback.json()).error.code).toBe('no_role');
    expect(x.jar.get(base, 'lk_session')).toBeUndefined();
  });

  it('rejects a callback with a wrong state, or without the login cookie', async () => {
    const { jar } = await signIn('rektor-a');
    // A second login: take its state cookie but answer with a forged state.
    const start = await go(jar, `${base}/auth/login`);
    expect(start.status).toBe(302);
    const forged = await go(jar, `${base}/auth/callback?code=forged&state=not-the-state`);
    expect(forged.status).toBe(401);
    expect((await forged.json()).error.code).toBe('signin_failed');
    const none = await fetch(`${base}/auth/callback?code=x&state=y`);
    expect(none.status).toBe(400);
    // A code is single-use: replaying a real callback fails.
    const again = await signIn('rektor-a');
    const replay = await go(again.jar, `${base}/auth/login`);
    expect(replay.status).toBe(302);
    const r2 = await go(again.jar, again.callbackUrl);
    expect(r2.status).toBe(401);
  });

  it('keeps the environment settings over stored ones for the first organiser, also under /auth/<organiser>/', async () => {
    const admin = api(s.url, s.adminToken);
    const got = await admin.get('/v1/sign-in/oidc');
    expect(got.json).toMatchObject({ configured: true, source: 'environment', clientId: 'licenskoll', clientSecretSet: true, redirectUri: `${base}/auth/callback` });
    expect(got.text).not.toContain(CLIENT_SECRET);
    const put = await admin.put('/v1/sign-in/oidc', { issuer: idpUrl, clientId: 'other', clientSecret: 'x', redirectUri: `${base}/auth/callback` });
    expect([put.status, put.json.error.code]).toEqual([409, 'set_by_environment']);
    expect((await admin.del('/v1/sign-in/oidc')).status).toBe(409);
    expect(await (await fetch(`${base}/auth/default/config`)).json()).toEqual({ oidc: true, login: '/auth/default/login', logout: '/auth/default/logout', tokenSignIn: true, signedIn: false });
  });

  it('records sign-ins in the audit log by pseudonym, never by the e-mail address', async () => {
    const r = await api(s.url, s.adminToken).get('/v1/audit?action=signin');
    expect(r.status).toBe(200);
    expect(r.json.rows.some((x: any) => x.action === 'signin' && x.role === 'principal' && x.via === 'session')).toBe(true);
    const denied = await api(s.url, s.adminToken).get('/v1/audit?action=signin.denied');
    expect(denied.json.rows.length).toBeGreaterThan(0);
    const all = await api(s.url, s.adminToken).get('/v1/audit?limit=10000');
    for (const a of Object.values(ACCOUNTS)) expect(all.text.toLowerCase().includes(a.email.toLowerCase())).toBe(false);
    expect(s.output().toLowerCase()).not.toContain('tvaskolor.se');
  });
});

describe('sign-in settings', () => {
  it('only sends the browser back to a path on this site', () => {
    expect(safeReturnTo('/rapporter?x=1')).toBe('/rapporter?x=1');
    for (const bad of ['//evil.example', '/\\evil.example', 'https://evil.example', 'javascript:alert(1)', '', undefined, '/a b']) {
      expect(safeReturnTo(bad as string)).toBe('/');
    }
  });

  it('uses Secure __Host- cookies over https, refuses plain http beyond this machine, names missing settings', () => {
    const env = { LICENSKOLL_OIDC_ISSUER: 'https://idp.kommun.se', LICENSKOLL_OIDC_CLIENT_ID: 'lk', LICENSKOLL_OIDC_CLIENT_SECRET: 's', LICENSKOLL_OIDC_REDIRECT_URI: 'https://licenskoll.kommun.se/auth/callback' };
    expect(oidcSettingsFromEnv(env)).toMatchObject({ secureCookies: true, clientAuth: 'client_secret_basic' });
    expect(oidcSettingsFromEnv({})).toBeNull();
    expect(() => oidcSettingsFromEnv({ ...env, LICENSKOLL_OIDC_ISSUER: 'http://idp.kommun.se' })).toThrow(/LICENSKOLL_OIDC_ISSUER: must be https/);
    expect(() => oidcSettingsFromEnv({ ...env, LICENSKOLL_OIDC_REDIRECT_URI: undefined })).toThrow(/LICENSKOLL_OIDC_REDIRECT_URI/);
    expect(() => oidcSettingsFromEnv({ ...env, LICENSKOLL_OIDC_CLIENT_ID: undefined })).toThrow(/LICENSKOLL_OIDC_CLIENT_ID/);
  });
});
