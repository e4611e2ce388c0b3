import { createHash, randomBytes } from 'node:crypto';
import { chTime } from '@licenskoll/core';
import { nextVersion, queryRows, type Storage } from '@licenskoll/storage';
import type { Caller } from '../context.ts';
import { roleOf, type RoleSources } from './staff-roles.ts';
import { safeEqual } from './tokens.ts';

/**
 * Dashboard sessions after an OpenID Connect sign-in. The cookie carries a random secret
 * (256 bits); only its SHA-256 is stored. The CSRF token is derived from the secret, so the
 * server keeps no second value and a page on another site, which cannot read the cookie,
 * cannot compute it. Role and scope are re-derived from the roster on use (cached a minute):
 * a principal whose duty ends loses access without signing out.
 *
 * Like a token, the cookie of every organiser but the first starts with `<organiser>.`, so the
 * service routes a request with only a cookie to that organiser (service.ts); the secret is
 * looked up in that organiser's own `sessions` table only.
 */

const sha = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
export const csrfFor = (secret: string) => createHash('sha256').update(`licenskoll-csrf\u0000${secret}`).digest('base64url');
export const checkCsrf = (secret: string, sent: string | undefined) => Boolean(sent) && safeEqual(csrfFor(secret), sent!);

/** The prefix of an organiser's session cookies: none for the first (as before tenants), `<organiser>.` for the others. */
export const sessionPrefixOf = (organiser?: { id: string; first: boolean }) => (organiser && !organiser.first ? `${organiser.id}.` : '');

/** The organiser a session cookie's value is routed to (see sessionPrefixOf); base64url has no dot. */
export function sessionOrganiser(value: string): string | undefined {
  return /^([a-z][a-z0-9-]{1,39})\./.exec(value)?.[1];
}

export interface SessionInfo {
  id: string;
  subjectKey: string;
  personKey: string;
  claim: string;
  expires: string;
}

interface Cached {
  caller: Caller | null;
  info: SessionInfo | null;
  at: number;
}

export class Sessions {
  private cache = new Map<string, Cached>();

  constructor(
    private readonly storage: Storage,
    private readonly sources: RoleSources,
    readonly hours: number,
    private readonly prefix = '',
    private readonly ttlMs = 60_000,
  ) {}

  async create(s: { subjectKey: string; personKey: string; claim: string }): Promise<{ secret: string; info: SessionInfo }> {
    const secret = `${this.prefix}${randomBytes(32).toString('base64url')}`;
    const id = sha(secret);
    const now = Date.now();
    const expires = new Date(now + this.hours * 3600_000);
    await this.storage.write.insert({
      table: 'sessions',
      values: [{
        id, subject_key: s.subjectKey, person_key: s.personKey, claim: s.claim,
        created: chTime(now), expires: chTime(expires).slice(0, 19), revoked: 0, version: nextVersion(),
      }],
      format: 'JSONEachRow',
    });
    return { secret, info: { id, ...s, expires: expires.toISOString().slice(0, 19) + 'Z' } };
  }

  /** The caller a session cookie stands for, or null (unknown, expired, revoked, or no role any more). */
  async resolve(secret: string, today: string): Promise<{ caller: Caller; info: SessionInfo } | null> {
    // Another organiser's cookie (or the first's at another) is not looked up: it cannot be one of this table's.
    if (!secret.startsWith(this.prefix) || !/^[A-Za-z0-9_-]{20,100}$/.test(secret.slice(this.prefix.length))) return null;
    const id = sha(secret);
    const hit = this.cache.get(id);
    if (hit && Date.now() - hit.at < this.ttlMs && (!hit.info || hit.info.expires > new Date().toISOString())) {
      return hit.caller && hit.info ? { caller: hit.caller, info: hit.info } : null;
    }
    const rows = await queryRows<{ subject_key: string; person_key: string; claim: string; expires_iso: string; revoked: number }>(
      this.storage.read,
      `SELECT subject_key, person_key, claim, formatDateTime(expires, '%Y-%m-%dT%H:%i:%SZ', 'UTC') AS expires_iso, revoked
       FROM sessions FINAL WHERE id = {id:String} AND expires > now()`,
      { id },
      ['revoked'],
    );
    const r = rows[0];
    let caller: Caller | null = null;
    let info: SessionInfo | null = null;
    if (r && !r.revoked) {
      info = { id, subjectKey: r.subject_key, personKey: r.person_key, claim: r.claim, expires: r.expires_iso };
      const role = await roleOf(this.storage, { subjectKey: r.subject_key, personKey: r.person_key }, today, this.sources);
      if (role) caller = { ...role, name: sessionName(info), tokenId: `session:${id.slice(0, 16)}` };
    }
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(id, { caller, info: caller ? info : null, at: Date.now() });
    return caller && info ? { caller, info } : null;
  }

  async revoke(secret: string): Promise<boolean> {
    const id = sha(secret);
    this.cache.delete(id);
    const rows = await queryRows<Record<string, unknown>>(this.storage.write, 'SELECT * FROM sessions FINAL WHERE id = {id:String}', { id });
    if (!rows.length) return false;
    await this.storage.write.insert({ table: 'sessions', values: [{ ...rows[0], revoked: 1, version: nextVersion() }], format: 'JSONEachRow' });
    return true;
  }

  invalidate(): void {
    this.cache.clear();
  }
}

/** How a session appears in the audit log: the claim used and the start of its pseudonym, never the identifier itself. */
export const sessionName = (s: Pick<SessionInfo, 'claim' | 'subjectKey'>) => `oidc:${s.claim}:${s.subjectKey.slice(0, 12)}`;
