import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, Pseudonymiser } from '@licenskoll/core';
import { migrate, openStorage, queryRows, type Storage } from '@licenskoll/storage';
import { clearStoredOidc, oidcSettingsInput, oidcSettingsOf, readStoredOidc, storeOidc } from './stored-settings.ts';

/** An organiser's stored sign-in settings against the real engine: what is kept, and what is not. */
let dir: string;
let storage: Storage;
const pseudo = new Pseudonymiser('stored-settings-test-key-0123456789');
const SECRET = 'the-client-secret-0123456789';
const input = oidcSettingsInput(['/auth/kungalv/callback']);
const valid = { issuer: 'https://idp.kungalv.se', clientId: 'lk', redirectUri: 'https://lk.gr.se/auth/kungalv/callback' };
const stored = async () => (await queryRows<{ value: string }>(storage.write, "SELECT value FROM settings FINAL WHERE key = 'oidc'", {}))[0]?.value;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'licenskoll-oidc-settings-'));
  storage = await openStorage(loadConfig({ LICENSKOLL_DATA_DIR: dir }));
  await migrate(storage, { retentionMonths: 13 });
});
afterAll(async () => {
  await storage?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('stored sign-in settings', () => {
  it('keep the secret encrypted with the organiser key and the roles as pseudonyms', async () => {
    await storeOidc(storage, pseudo, input.parse({ ...valid, clientSecret: SECRET, admins: ['IT-chef@Kungalv.se'] }));
    const raw = (await stored())!;
    expect(raw).not.toContain(SECRET);
    expect(raw.toLowerCase()).not.toContain('it-chef');
    const s = (await readStoredOidc(storage))!;
    expect(s.adminKeys).toEqual([pseudo.user('it-chef@kungalv.se')]);
    expect(oidcSettingsOf(s, pseudo)).toMatchObject({ clientSecret: SECRET, clientAuth: 'client_secret_basic', secureCookies: true, scopes: 'openid email profile' });
    // Another organiser's key does not open it.
    expect(() => oidcSettingsOf(s, new Pseudonymiser('another-organisers-key-0123456789'))).toThrow();
  });

  it('keep the stored secret and roles when left out; a public client drops the secret', async () => {
    const kept = await storeOidc(storage, pseudo, input.parse({ ...valid, clientId: 'lk2' }));
    expect(kept).toMatchObject({ clientId: 'lk2', clientAuth: 'client_secret_basic', adminKeys: [pseudo.user('it-chef@kungalv.se')] });
    expect(oidcSettingsOf((await readStoredOidc(storage))!, pseudo).clientSecret).toBe(SECRET);
    const open = await storeOidc(storage, pseudo, input.parse({ ...valid, clientAuth: 'none' }));
    expect('secret' in open).toBe(false);
    expect(await storeOidc(storage, pseudo, input.parse({ ...valid, clientAuth: 'client_secret_post' }))).toEqual({ missing: 'clientSecret' });
    await clearStoredOidc(storage);
    expect(await readStoredOidc(storage)).toBeNull();
  });

  it('refuse what the environment settings refuse, by field', () => {
    const fields = (body: object) => {
      const r = input.safeParse(body);
      return r.success ? [] : r.error.issues.map((i) => i.path.join('.'));
    };
    expect(fields(valid)).toEqual([]);
    expect(fields({ ...valid, issuer: 'http://idp.kungalv.se' })).toEqual(['issuer']);
    expect(fields({ ...valid, issuer: 'http://127.0.0.1:9000' })).toEqual([]);
    expect(fields({ ...valid, redirectUri: 'https://lk.gr.se/auth/callback' })).toEqual(['redirectUri']);
    expect(fields({ ...valid, claims: ['email', 'no spaces'] })).toEqual(['claims.1']);
    expect(fields({ ...valid, scopes: 'email profile' })).toEqual(['scopes']);
    expect(fields({ ...valid, clientAuth: 'private_key_jwt' })).toEqual(['clientAuth']);
    expect(fields({ ...valid, postLogoutRedirectUri: 'not a url' })).toEqual(['postLogoutRedirectUri']);
    expect(fields({ issuer: valid.issuer })).toEqual(['clientId', 'redirectUri']);
  });
});
