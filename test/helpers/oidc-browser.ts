import { expect } from 'vitest';

/**
 * A browser enough for the OpenID Connect flow (test/roles/oidc.test.ts, test/tenants/oidc-organisers.test.ts):
 * a cookie jar per host, redirects followed by hand, the test provider's login and consent forms filled in.
 */
export class Jar {
  private hosts = new Map<string, Map<string, string>>();
  store(url: string, res: Response) {
    const host = new URL(url).host;
    const jar = this.hosts.get(host) ?? new Map<string, string>();
    this.hosts.set(host, jar);
    for (const sc of res.headers.getSetCookie()) {
      const [pair] = sc.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i).trim();
      const value = pair.slice(i + 1).trim();
      if (!value || /max-age=0\b|expires=thu, 01 jan 1970/i.test(sc)) jar.delete(name);
      else jar.set(name, value);
    }
  }
  header(url: string) {
    return [...(this.hosts.get(new URL(url).host) ?? new Map()).entries()].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  get(url: string, name: string) {
    return this.hosts.get(new URL(url).host)?.get(name);
  }
}

const decode = (s: string) => s.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');

export async function go(jar: Jar, url: string, init: RequestInit = {}) {
  const res = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string>), cookie: jar.header(url) } });
  jar.store(url, res);
  return res;
}

/**
 * Signs `account` in starting at `${base}${login}` and stops at the provider's redirect to
 * the callback: returns the jar (with the state cookie) and the callback URL, not yet followed.
 */
export async function throughProvider(base: string, login: string, account: string, returnTo = '/licenser') {
  const jar = new Jar();
  const start = await go(jar, `${base}${login}?returnTo=${encodeURIComponent(returnTo)}`);
  expect(start.status, await start.clone().text()).toBe(302);
  const authorize = new URL(start.headers.get('location')!);
  const callback = authorize.searchParams.get('redirect_uri')!;
  let url = authorize.href;
  for (let hop = 0; hop < 30 && !url.startsWith(callback); hop++) {
    const res = await go(jar, url);
    if (res.status >= 300 && res.status < 400) {
      url = new URL(res.headers.get('location')!, url).href;
      continue;
    }
    const html = await res.text();
    expect(res.status, html.slice(0, 500)).toBe(200);
    const form = /<form[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/.exec(html);
    expect(form, html.slice(0, 500)).toBeTruthy();
    const fields = new URLSearchParams();
    for (const m of form![2].matchAll(/<input[^>]*>/g)) {
      const name = /name="([^"]+)"/.exec(m[0])?.[1];
      if (name) fields.set(name, decode(/value="([^"]*)"/.exec(m[0])?.[1] ?? ''));
    }
    if (fields.has('login')) {
      fields.set('login', account);
      fields.set('password', 'any');
    }
    const post = await go(jar, new URL(decode(form![1]), url).href, {
      method: 'POST', body: fields.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect([302, 303]).toContain(post.status);
    url = new URL(post.headers.get('location')!, url).href;
  }
  expect(url.startsWith(callback), url).toBe(true);
  return { jar, authorize, callbackUrl: url };
}

/** The whole sign-in: through the provider, then the callback. */
export async function signIn(base: string, login: string, account: string, returnTo?: string) {
  const t = await throughProvider(base, login, account, returnTo);
  const callback = await go(t.jar, t.callbackUrl);
  return { ...t, callback };
}
