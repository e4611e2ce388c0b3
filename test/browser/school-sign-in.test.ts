/**
 * "Logga in med skolans konto" in a real browser: the dashboard opened as `/?organiser=beta`
 * signs in at BETA's own identity provider client (a real OpenID provider on 127.0.0.1) and
 * shows BETA's licences, with the session cookie only; logging out ends it at the server and
 * then at the provider.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ensureDashboardBuilt, openBrowser, poll, settled, skipBrowser, type BrowserPage } from '../helpers/browser.ts';
import { startTwoOrganisers, type TwoOrganisers } from '../tenants/two-organisers.ts';
import { startTestProvider } from '../helpers/oidc-provider.ts';

const skip = skipBrowser('browser: sign-in with the school account per organiser');
const SECRET = 'beta-client-secret-0123456789abcdef';

let t: TwoOrganisers;
let idp: Awaited<ReturnType<typeof startTestProvider>>;
let b: BrowserPage;
let page: Page;

describe.skipIf(skip)("an organiser's own sign-in, in Chromium", { timeout: 240_000 }, () => {
  beforeAll(async () => {
    ensureDashboardBuilt();
    t = await startTwoOrganisers();
    idp = await startTestProvider([{ id: 'licenskoll-beta', secret: SECRET, redirectUri: `${t.s.url}/auth/beta/callback` }], {
      'inkop-beta': { email: 'inkop@beta.example.se' },
    });
    const put = await t.beta.client('admin').put('/v1/sign-in/oidc', {
      issuer: idp.url, clientId: 'licenskoll-beta', clientSecret: SECRET, redirectUri: `${t.s.url}/auth/beta/callback`,
      claims: ['email'], purchasers: ['inkop@beta.example.se'],
    });
    expect(put.status, put.text).toBe(200);
    b = await openBrowser();
    page = b.page;
  }, 600_000);

  afterAll(async () => {
    await b?.close();
    await t?.s.stop();
    await idp?.stop();
  });

  it("signs in at BETA's identity provider and shows BETA's licences, never ALFA's", async () => {
    // The first organiser has no sign-in of its own here: only the token sign-in.
    await page.goto(`${t.s.url}/`);
    await poll(() => page.getByRole('heading', { level: 1 }).innerText()).toBe('Logga in');
    expect(await page.getByRole('link', { name: 'Logga in med skolans konto' }).count()).toBe(0);

    await page.goto(`${t.s.url}/?organiser=beta`);
    // The sign-in pages asked nothing that failed (no 401 for a session they do not have).
    expect(b.problems.splice(0)).toEqual([]);
    await page.getByRole('link', { name: 'Logga in med skolans konto' }).click();
    // The provider's own forms (oidc-provider's development interactions): login, then consent.
    await page.waitForURL((u) => u.origin === idp.url);
    await page.locator('input[name="login"]').fill('inkop-beta');
    await page.locator('input[name="password"]').fill('any');
    await page.locator('button[type="submit"]').click();
    await page.locator('button[type="submit"]').click();
    await page.waitForURL((u) => u.origin === t.s.url && u.pathname !== '/' && !u.pathname.startsWith('/auth/'));
    await settled(page);
    // What the provider's pages loaded (web fonts, a favicon) is the provider's: from here on, only the dashboard's.
    b.problems.splice(0);
    expect(await page.locator('.brand-org').innerText()).toBe('BETA kommun');
    expect(await page.evaluate(() => sessionStorage.getItem('licenskoll.token'))).toBe('cookie-session');

    await page.goto(`${t.s.url}/licences`);
    await settled(page);
    const text = await page.locator('main').innerText();
    expect(text).toContain('BETA Matte');
    expect(text).not.toContain('ALFA');

    expect(b.problems.splice(0)).toEqual([]);
    await page.getByRole('button', { name: 'Logga ut' }).click();
    // The session ends at the server, then the provider's own logout (its end_session_endpoint) is shown.
    await page.waitForURL((u) => u.origin === idp.url);
    b.problems.splice(0);
    // The cookie is cleared, and the dashboard is signed out.
    expect((await page.context().cookies(t.s.url)).find((c) => c.name === 'lk_session')).toBeUndefined();
    await page.goto(`${t.s.url}/?organiser=beta`);
    await poll(() => page.getByRole('link', { name: 'Logga in med skolans konto' }).count()).toBe(1);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Logga in');
    expect(b.problems).toEqual([]);
  });
});
