import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '../helpers/server.ts';
import { startTwoOrganisers, type TwoOrganisers } from './two-organisers.ts';
import { go, signIn, throughProvider, type Jar } from '../helpers/oidc-browser.ts';
import { startTestProvider } from '../helpers/oidc-provider.ts';

/**
 * Each organiser signs in with its own identity provider client, set by its own admin
 * (`PUT /v1/sign-in/oidc`), at its own paths (`/auth/<organiser>/…`): a real OpenID provider
 * (oidc-provider) with two clients, driven like a browser. A session is its organiser's: its
 * cookie routes to that organiser and is looked up in that organiser's sessions only.
 */

const SECRET = { alfa: 'alfa-client-secret-0123456789abcdef', beta: 'beta-client-secret-0123456789abcdef' };
const ACCOUNTS: Record<string, Record<string, string>> = {
  'rektor-alfa': { email: 'rektor.alfa@skolor.example.se' },
  'rektor-beta': { email: 'rektor.beta@skolor.example.se' },
  'inkop-beta': { email: 'Inkop@Beta.Example.se' },
};

let t: TwoOrganisers;
let idp: Awaited<ReturnType<typeof startTestProvider>>;
let idpUrl: string;
let base: string;

const settingsOf = (org: 'alfa' | 'beta') => ({
  issuer: idpUrl,
  clientId: `licenskoll-${org}`,
  clientSecret: SECRET[org],
  redirectUri: `${base}${org === 'alfa' ? '/auth/callback' : '/auth/beta/callback'}`,
  claims: ['email'],
  ...(org === 'beta' ? { purchasers: ['inkop@beta.example.se'] } : {}),
});
const sessionOf = (jar: Jar) => jar.get(base, 'lk_session');
const withSession = (value: string, path: string) => fetch(`${base}${path}`, { headers: { cookie: `lk_session=${value}` } });

beforeAll(async () => {
  t = await startTwoOrganisers();
  base = t.s.url;
  idp = await startTestProvider([
    { id: 'licenskoll-alfa', secret: SECRET.alfa, redirectUri: `${base}/auth/callback` },
    { id: 'licenskoll-beta', secret: SECRET.beta, redirectUri: `${base}/auth/beta/callback` },
  ], ACCOUNTS);
  idpUrl = idp.url;
}, 240_000);

afterAll(async () => {
  await t?.s.stop();
  await idp?.stop();
});

describe('sign-in settings per organiser', () => {
  it('are off until an admin sets them: /auth/<organiser>/config says so', async () => {
    expect(await (await fetch(`${base}/auth/beta/config`)).json()).toEqual({ oidc: false, login: null, logout: '/auth/beta/logout', tokenSignIn: true, signedIn: false });
    expect((await fetch(`${base}/auth/beta/login`)).status).toBe(404);
    expect((await t.beta.client('admin').get('/v1/sign-in/oidc')).json).toEqual({ configured: false, callbackPaths: ['/auth/beta/callback'] });
  });

  it('name every field that is wrong, with the checks of the environment settings', async () => {
    const admin = t.beta.client('admin');
    const bad = await admin.put('/v1/sign-in/oidc', {
      issuer: 'http://idp.kommun.example', clientId: '', redirectUri: `${base}/auth/callback`, claims: ['e mail'], clientAuth: 'magic', colour: 'blue',
    });
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe('invalid_sign_in_settings');
    const fields = bad.json.error.details.map((d: { field: string }) => d.field);
    for (const f of ['issuer', 'clientId', 'redirectUri', 'claims.0', 'clientAuth']) expect(fields, bad.text).toContain(f);
    expect(bad.text).toMatch(/must be https/);
    expect(bad.text).toMatch(/must end with \/auth\/beta\/callback/);
    expect(bad.text).toMatch(/colour/);
    // The first organiser's callback is not BETA's: the answer would come to the wrong organiser.
    // A confidential client needs a secret (without one and without clientAuth: a public client, `none`).
    const noSecret = await admin.put('/v1/sign-in/oidc', { ...settingsOf('beta'), clientSecret: undefined, clientAuth: 'client_secret_basic' });
    expect([noSecret.status, noSecret.json.error.details]).toEqual([400, [{ field: 'clientSecret', reason: expect.stringMatching(/required for client_secret_basic/) }]]);
    expect((await admin.get('/v1/sign-in/oidc')).json.configured).toBe(false);
  });

  it('are set by an admin only, and never answer the client secret', async () => {
    for (const role of ['purchaser', 'principal', 'teacher', 'ingest'] as const) {
      expect((await t.beta.client(role).put('/v1/sign-in/oidc', settingsOf('beta'))).status, role).toBe(403);
      expect((await t.beta.client(role).get('/v1/sign-in/oidc')).status, role).toBe(403);
    }
    const put = await t.beta.client('admin').put('/v1/sign-in/oidc', settingsOf('beta'));
    expect(put.status, put.text).toBe(200);
    const got = await t.beta.client('admin').get('/v1/sign-in/oidc');
    expect(got.json).toMatchObject({
      configured: true, source: 'stored', clientId: 'licenskoll-beta', clientAuth: 'client_secret_basic', clientSecretSet: true,
      redirectUri: `${base}/auth/beta/callback`, purchasers: 1, admins: 0, login: '/auth/beta/login',
    });
    for (const r of [put, got]) {
      expect(r.text).not.toContain(SECRET.beta);
      expect(r.text.toLowerCase()).not.toContain('inkop@beta');
    }
    // Left out, the secret stays: what GET shows can be sent back.
    const again = await t.beta.client('admin').put('/v1/sign-in/oidc', { ...settingsOf('beta'), clientSecret: undefined });
    expect([again.status, again.json.clientSecretSet]).toEqual([200, true]);
    // The first organiser (no LICENSKOLL_OIDC_* here) stores its own too, at /auth/callback.
    expect((await api(base, t.s.adminToken).put('/v1/sign-in/oidc', settingsOf('alfa'))).status).toBe(200);
    expect(await (await fetch(`${base}/auth/beta/config`)).json()).toMatchObject({ oidc: true, login: '/auth/beta/login' });
    expect(await (await fetch(`${base}/auth/config`)).json()).toMatchObject({ oidc: true, login: '/auth/login' });
    // Written to the organiser's own audit log, without the secret.
    const audit = await t.beta.client('admin').get('/v1/audit?action=signin.settings.write');
    expect(audit.json.rows.length).toBeGreaterThanOrEqual(2);
    expect(audit.text).not.toContain(SECRET.beta);
    expect((await api(base, t.s.adminToken).get('/v1/audit?action=signin.settings.write')).json.rows).toHaveLength(1);
  });

  it("signs a user of BETA in through BETA's login into BETA's data, never ALFA's", async () => {
    const { jar, authorize, callback } = await signIn(base, '/auth/beta/login', 'inkop-beta');
    expect(authorize.searchParams.get('client_id')).toBe('licenskoll-beta');
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${base}/auth/beta/callback`);
    expect(callback.status, await callback.clone().text()).toBe(302);
    expect(callback.headers.get('location')).toBe('/licenser');
    const cookie = sessionOf(jar)!;
    expect(cookie).toMatch(/^beta\.[A-Za-z0-9_-]{43}$/);

    const me = await (await withSession(cookie, '/v1/me')).json();
    expect(me).toMatchObject({ role: 'purchaser', via: 'session', organiser: { id: 'beta' }, logout: '/auth/beta/logout' });
    // The dashboard asks its organiser's config whether the cookie is a session there (never a 401 on the sign-in page).
    expect((await (await withSession(cookie, '/auth/beta/config')).json()).signedIn).toBe(true);
    expect((await (await withSession(cookie, '/auth/config')).json()).signedIn).toBe(false);
    const licences = await withSession(cookie, '/v1/licences');
    expect(licences.status).toBe(200);
    const text = await licences.text();
    expect(text).toContain('BETA-L1');
    expect(text).not.toContain('ALFA');

    // Ingest answers apart from the main app (routes/events.ts) and routes by the cookie too: the
    // session is known there (a 403 for the role, not a 401), and a write needs its CSRF token.
    const event = { id: 'session-ingest', type: 'login', time: '2026-10-05T10:00:00+02:00', user: 'x@y.se', product: 'p.example' };
    const post = (csrf?: string) => fetch(`${base}/v1/events`, {
      method: 'POST', body: JSON.stringify(event), headers: { cookie: `lk_session=${cookie}`, 'content-type': 'application/json', ...(csrf ? { 'x-csrf-token': csrf } : {}) },
    });
    expect((await (await post()).json()).error.code).toBe('csrf');
    expect((await (await post(me.csrfToken)).json()).error.code).toBe('forbidden');

    // BETA's principal is BETA's roster's; ALFA's principal has no role at BETA.
    const principal = await signIn(base, '/auth/beta/login', 'rektor-beta');
    expect((await (await withSession(sessionOf(principal.jar)!, '/v1/me')).json()).role).toBe('principal');
    const stranger = await signIn(base, '/auth/beta/login', 'rektor-alfa');
    expect(stranger.callback.status).toBe(403);
    expect(sessionOf(stranger.jar)).toBeUndefined();
  });

  it("refuses BETA's session under another organiser's prefix, and ALFA's session at BETA", async () => {
    const b = sessionOf((await signIn(base, '/auth/beta/login', 'inkop-beta')).jar)!;
    const secret = b.slice('beta.'.length);
    // The first organiser's form (no prefix), and an organiser that does not exist.
    for (const forged of [secret, `gamma.${secret}`]) expect((await withSession(forged, '/v1/me')).status, forged.slice(0, 6)).toBe(401);

    const a = await signIn(base, '/auth/login', 'rektor-alfa');
    expect(a.authorize.searchParams.get('client_id')).toBe('licenskoll-alfa');
    const alfa = sessionOf(a.jar)!;
    expect(alfa).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await (await withSession(alfa, '/v1/me')).json()).toMatchObject({ role: 'principal', organiser: { id: 'default' }, logout: '/auth/logout' });
    expect((await withSession(`beta.${alfa}`, '/v1/me')).status).toBe(401);
    expect((await withSession(`beta.${alfa}`, '/v1/licences')).status).toBe(401);
    // A bearer token wins over a cookie: ALFA's admin token with BETA's cookie reads ALFA.
    const both = await fetch(`${base}/v1/me`, { headers: { authorization: `Bearer ${t.alfa.tokens.admin}`, cookie: `lk_session=${b}` } });
    expect((await both.json()).organiser.id).toBe('default');
  });

  it("does not complete at ALFA a login started at BETA (state cookie and callback are BETA's)", async () => {
    const { jar, callbackUrl } = await throughProvider(base, '/auth/beta/login', 'inkop-beta');
    const state = jar.get(base, 'lk_oidc_beta')!;
    expect(state).toBeTruthy();
    const atAlfa = new URL(callbackUrl);
    atAlfa.pathname = '/auth/callback';
    // BETA's signed state under ALFA's cookie name: ALFA's key does not sign it.
    const replay = await fetch(atAlfa.href, { redirect: 'manual', headers: { cookie: `lk_oidc=${state}` } });
    expect([replay.status, (await replay.json()).error.code]).toEqual([400, 'signin_state']);
    // BETA's own callback still completes it.
    const done = await go(jar, callbackUrl);
    expect(done.status).toBe(302);
  });

  it('logs out at the organiser, and turning sign-in off closes its login', async () => {
    const { jar } = await signIn(base, '/auth/beta/login', 'inkop-beta');
    const cookie = sessionOf(jar)!;
    const me = await (await withSession(cookie, '/v1/me')).json();
    const out = await fetch(`${base}/auth/beta/logout`, { method: 'POST', headers: { cookie: `lk_session=${cookie}`, 'x-csrf-token': me.csrfToken } });
    expect([out.status, (await out.json()).loggedOut]).toEqual([200, true]);
    expect((await withSession(cookie, '/v1/me')).status).toBe(401);

    expect((await t.beta.client('purchaser').del('/v1/sign-in/oidc')).status).toBe(403);
    expect((await t.beta.client('admin').del('/v1/sign-in/oidc')).json).toEqual({ configured: false });
    expect((await fetch(`${base}/auth/beta/config`)).status).toBe(200);
    expect((await (await fetch(`${base}/auth/beta/config`)).json()).oidc).toBe(false);
    expect((await fetch(`${base}/auth/beta/login`)).status).toBe(404);
    // ALFA's is its own, and stays.
    expect((await (await fetch(`${base}/auth/config`)).json()).oidc).toBe(true);
    // Refused attempts are in the audit log too (the purchaser's 403).
    const deletes = (await t.beta.client('admin').get('/v1/audit?action=signin.settings.delete')).json.rows;
    expect(deletes.map((r: { status: number }) => r.status).sort()).toEqual([200, 403]);
  });
});
