import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Pseudonymiser } from '@licenskoll/core';
import { nextVersion, queryRows, type Storage } from '@licenskoll/storage';
import { CLAIM_NAME, CLIENT_AUTHS, DEFAULT_CLAIMS, DEFAULT_SCOPES, isTlsOrLoopback, type OidcSettings } from './settings.ts';

/**
 * An organiser's own OpenID Connect settings, set by its admin (`PUT /v1/sign-in/oidc`) and
 * kept in its own database (`settings`, key `oidc`), so that each organiser signs in against
 * its own identity provider. The checks are those of `oidcSettingsFromEnv`, named by field.
 *
 * The client secret is kept encrypted with a key derived from the organiser's pseudonym key
 * (which is not in the database): a copy of the database alone does not give it. It is never
 * answered back. Administrators and purchasers are kept as pseudonyms only, as the
 * environment's are never stored.
 */
const KEY = 'oidc';

export interface StoredOidc {
  issuer: string;
  clientId: string;
  clientAuth: OidcSettings['clientAuth'];
  /** AES-256-GCM: iv, tag and ciphertext, base64url, joined by dots. */
  secret?: string;
  redirectUri: string;
  claims: string[];
  scopes: string;
  adminKeys: string[];
  purchaserKeys: string[];
  postLogoutRedirectUri?: string;
}

const httpsUrl = (what: string) =>
  z.string().max(2000).refine((v) => URL.canParse(v), `is not a URL (the ${what})`)
    .refine((v) => !URL.canParse(v) || isTlsOrLoopback(new URL(v)), 'must be https (plain http is accepted only for 127.0.0.1 or localhost)');
const identifiers = z.array(z.string().trim().min(1, 'an identifier is empty').max(512)).max(1000);

/**
 * The body of `PUT /v1/sign-in/oidc`. `callbackPaths` are where this organiser's callback is
 * served (`/auth/<organiser>/callback`, and `/auth/callback` for the first): a redirect URI
 * elsewhere would bring the identity provider's answer to another organiser, or nowhere.
 * Left out, `clientSecret`, `admins` and `purchasers` keep what is stored.
 */
export const oidcSettingsInput = (callbackPaths: string[]) => z.strictObject({
  issuer: httpsUrl('identity provider'),
  clientId: z.string().trim().min(1, 'is required').max(500),
  clientSecret: z.string().min(1, 'is empty: leave it out to keep the stored one').max(1000).optional(),
  clientAuth: z.enum(CLIENT_AUTHS, { message: `must be ${CLIENT_AUTHS.join(', ')}` }).optional(),
  redirectUri: httpsUrl('redirect URI').refine(
    (v) => !URL.canParse(v) || callbackPaths.some((p) => new URL(v).pathname.endsWith(p)),
    `must end with ${callbackPaths.join(' or ')}`,
  ),
  claims: z.array(z.string().regex(CLAIM_NAME, 'claim names are letters, digits, _ : . -')).min(1, 'name at least one claim').max(20).optional(),
  scopes: z.string().trim().regex(/^[\x21-\x7e]+( [\x21-\x7e]+)*$/, 'are scope names separated by spaces').max(500)
    .refine((v) => v.split(' ').includes('openid'), 'must include openid').optional(),
  admins: identifiers.optional(),
  purchasers: identifiers.optional(),
  postLogoutRedirectUri: httpsUrl('page after logout').optional(),
}, { message: 'is not a field of the sign-in settings' });
export type OidcSettingsInput = z.infer<ReturnType<typeof oidcSettingsInput>>;

const cipherKey = (pseudo: Pseudonymiser) => createHash('sha256').update(pseudo.hash('\u0000licenskoll:oidc-client-secret')).digest();

function seal(pseudo: Pseudonymiser, secret: string): string {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', cipherKey(pseudo), iv);
  const data = Buffer.concat([c.update(secret, 'utf8'), c.final()]);
  return [iv, c.getAuthTag(), data].map((b) => b.toString('base64url')).join('.');
}

function unseal(pseudo: Pseudonymiser, sealed: string): string {
  const [iv, tag, data] = sealed.split('.').map((p) => Buffer.from(p, 'base64url'));
  const d = createDecipheriv('aes-256-gcm', cipherKey(pseudo), iv);
  d.setAuthTag(tag);
  return Buffer.concat([d.update(data), d.final()]).toString('utf8');
}

export async function readStoredOidc(storage: Storage): Promise<StoredOidc | null> {
  const rows = await queryRows<{ value: string }>(storage.write, 'SELECT value FROM settings FINAL WHERE key = {key:String}', { key: KEY });
  const v = rows[0]?.value;
  return v ? (JSON.parse(v) as StoredOidc) : null;
}

async function write(storage: Storage, value: StoredOidc | null): Promise<void> {
  // Turned off is an empty value: the row of a ReplacingMergeTree stays, its latest version wins.
  await storage.write.insert({ table: 'settings', values: [{ key: KEY, value: value ? JSON.stringify(value) : '', version: nextVersion() }], format: 'JSONEachRow' });
}

/**
 * Stores an admin's settings over what was stored. A client that authenticates needs a
 * secret, sent now or stored before: otherwise 400 naming `clientSecret` (`missing`).
 */
export async function storeOidc(storage: Storage, pseudo: Pseudonymiser, input: OidcSettingsInput): Promise<StoredOidc | { missing: 'clientSecret' }> {
  const before = await readStoredOidc(storage);
  const secret = input.clientSecret !== undefined ? seal(pseudo, input.clientSecret) : before?.secret;
  const clientAuth = input.clientAuth ?? (secret ? 'client_secret_basic' : 'none');
  if (clientAuth !== 'none' && !secret) return { missing: 'clientSecret' };
  const value: StoredOidc = {
    issuer: input.issuer,
    clientId: input.clientId,
    clientAuth,
    // A public client has no secret: one stored before is dropped rather than kept unused.
    ...(clientAuth !== 'none' && secret ? { secret } : {}),
    redirectUri: input.redirectUri,
    claims: input.claims ?? DEFAULT_CLAIMS.split(','),
    scopes: input.scopes ?? DEFAULT_SCOPES,
    adminKeys: input.admins ? [...new Set(input.admins.map((v) => pseudo.user(v)))] : (before?.adminKeys ?? []),
    purchaserKeys: input.purchasers ? [...new Set(input.purchasers.map((v) => pseudo.user(v)))] : (before?.purchaserKeys ?? []),
    ...(input.postLogoutRedirectUri ? { postLogoutRedirectUri: input.postLogoutRedirectUri } : {}),
  };
  await write(storage, value);
  return value;
}

export const clearStoredOidc = (storage: Storage) => write(storage, null);

/** The settings a login runs with; the roles' pseudonyms are the caller's (`SignInSettings`). */
export function oidcSettingsOf(stored: StoredOidc, pseudo: Pseudonymiser): OidcSettings {
  const redirectUri = new URL(stored.redirectUri);
  return {
    issuer: new URL(stored.issuer),
    clientId: stored.clientId,
    clientSecret: stored.secret ? unseal(pseudo, stored.secret) : undefined,
    clientAuth: stored.clientAuth,
    redirectUri,
    claims: stored.claims,
    scopes: stored.scopes,
    admins: [],
    purchasers: [],
    postLogoutRedirect: stored.postLogoutRedirectUri ? new URL(stored.postLogoutRedirectUri) : undefined,
    secureCookies: redirectUri.protocol === 'https:',
  };
}

/** What `GET /v1/sign-in/oidc` shows of stored settings: whether a secret is set, never the secret; how many admins and purchasers. */
export const describeStoredOidc = (s: StoredOidc) => ({
  issuer: s.issuer, clientId: s.clientId, clientAuth: s.clientAuth, clientSecretSet: Boolean(s.secret), redirectUri: s.redirectUri,
  claims: s.claims, scopes: s.scopes, admins: s.adminKeys.length, purchasers: s.purchaserKeys.length,
  postLogoutRedirectUri: s.postLogoutRedirectUri ?? null,
});
