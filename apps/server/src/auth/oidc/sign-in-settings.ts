import type { Pseudonymiser } from '@licenskoll/core';
import type { Storage } from '@licenskoll/storage';
import type { OrganiserRef } from '../../context.ts';
import type { RoleSources } from '../staff-roles.ts';
import type { OidcSettings } from './settings.ts';
import { clearStoredOidc, oidcSettingsOf, readStoredOidc, storeOidc, type OidcSettingsInput, type StoredOidc } from './stored-settings.ts';

/** Where an organiser's sign-in is served: `/auth` for the first (as before tenants), `/auth/<organiser>` for every one. */
export const signInBase = (organiser?: OrganiserRef) => (organiser && !organiser.first ? `/auth/${organiser.id}` : '/auth');

/** `__Host-lk_session` over https (Secure, path /, no domain), `lk_session` on plain http. */
export const sessionCookieName = (oidc: OidcSettings | null) => (oidc?.secureCookies ? '__Host-lk_session' : 'lk_session');

/**
 * The OpenID Connect settings one organiser signs in with: the environment's
 * (`LICENSKOLL_OIDC_*`) for the first organiser when they are set, which then cannot be
 * changed through the API; else what its admin stored in its own database. Read once and
 * kept until this process writes them, so a login costs no query. The administrators and
 * purchasers of the settings are written into `roles`, which sessions read on every use.
 */
export class SignInSettings {
  private loaded: Promise<OidcSettings | null> | null = null;

  constructor(
    private readonly storage: Storage,
    private readonly pseudo: Pseudonymiser,
    /** The environment's settings: only ever the first organiser's. */
    readonly fromEnvironment: OidcSettings | null,
    private readonly roles: RoleSources,
  ) {}

  current(): Promise<OidcSettings | null> {
    if (this.fromEnvironment) return Promise.resolve(this.fromEnvironment);
    if (!this.loaded) {
      this.loaded = readStoredOidc(this.storage).then((s) => this.apply(s));
      // Storage not answering yet: the next request asks again.
      this.loaded.catch(() => (this.loaded = null));
    }
    return this.loaded;
  }

  async cookieName(): Promise<string> {
    return sessionCookieName(await this.current());
  }

  stored(): Promise<StoredOidc | null> {
    return readStoredOidc(this.storage);
  }

  async replace(input: OidcSettingsInput): ReturnType<typeof storeOidc> {
    const r = await storeOidc(this.storage, this.pseudo, input);
    if (!('missing' in r)) this.loaded = Promise.resolve(this.apply(r));
    return r;
  }

  async clear(): Promise<void> {
    await clearStoredOidc(this.storage);
    this.loaded = Promise.resolve(this.apply(null));
  }

  private apply(s: StoredOidc | null): OidcSettings | null {
    replaceAll(this.roles.admins, s?.adminKeys ?? []);
    replaceAll(this.roles.purchasers, s?.purchaserKeys ?? []);
    return s ? oidcSettingsOf(s, this.pseudo) : null;
  }
}

function replaceAll(set: Set<string>, values: string[]) {
  set.clear();
  for (const v of values) set.add(v);
}
