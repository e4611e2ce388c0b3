import { createHash, hash as oneShotHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { chTime, type TokenInput } from '@licenskoll/core';
import { nextVersion, queryRows, type Storage } from '@licenskoll/storage';
import type { Caller } from '../context.ts';

export const hashToken = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

/** Compares secrets in constant time whatever their lengths. */
export function safeEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

export interface IssuedToken {
  id: string;
  name: string;
  role: Caller['role'];
  schools: string[];
  groups: string[];
  created: string;
  expires: string | null;
  revoked: number;
}

/**
 * The organiser a bearer token is routed to: `lk_<organiser>.<secret>` for every organiser but
 * the first, whose tokens keep the form they had before tenants (`lk_<secret>`, no dot: base64url
 * has none). The prefix only routes: the secret is still looked up in that organiser's own
 * tokens table, so naming another organiser finds nothing there.
 */
export function tokenOrganiser(token: string): string | undefined {
  const m = /^lk_([a-z][a-z0-9-]{1,39})\./.exec(token);
  return m?.[1];
}

/** The prefix of the tokens an organiser issues (see tokenOrganiser). */
export const tokenPrefixOf = (organiser?: { id: string; first: boolean }) => (organiser && !organiser.first ? `lk_${organiser.id}.` : 'lk_');

/** Issues a token: the secret is returned once; only its hash is stored. */
export async function issueToken(storage: Storage, input: TokenInput, organiser?: { id: string; first: boolean }): Promise<{ id: string; token: string }> {
  const id = randomUUID();
  const token = `${tokenPrefixOf(organiser)}${randomBytes(24).toString('base64url')}`;
  await storage.write.insert({
    table: 'tokens',
    values: [{
      id, name: input.name, role: input.role, schools: input.schools ?? [], groups: input.groups ?? [],
      hash: hashToken(token), created: chTime(Date.now()),
      expires: input.expires ?? null, revoked: 0, version: nextVersion(),
    }],
    format: 'JSONEachRow',
  });
  return { id, token };
}

export async function listTokens(storage: Storage): Promise<IssuedToken[]> {
  return queryRows<IssuedToken>(
    storage.read,
    `SELECT id, name, role, schools, groups, formatDateTime(created, '%Y-%m-%dT%H:%i:%SZ', 'UTC') AS created,
            if(isNull(expires), NULL, toString(expires)) AS expires, revoked
     FROM tokens FINAL ORDER BY created, id`,
    {},
    ['revoked'],
  );
}

export async function revokeToken(storage: Storage, id: string): Promise<boolean> {
  const rows = await queryRows<Record<string, unknown>>(storage.write, 'SELECT * FROM tokens FINAL WHERE id = {id:String}', { id });
  if (!rows.length) return false;
  await storage.write.insert({ table: 'tokens', values: [{ ...rows[0], revoked: 1, version: nextVersion() }], format: 'JSONEachRow' });
  return true;
}

/** A token hashed once: its caller when that is known without storage, else the hash to look up. */
export interface IdentifiedToken {
  hash: string;
  caller?: Caller;
}

const ENV_CALLERS: Record<'admin' | 'ingest', Caller> = {
  admin: { role: 'admin', name: 'LICENSKOLL_ADMIN_TOKEN', tokenId: 'env:admin', schools: [], groups: [] },
  ingest: { role: 'ingest', name: 'LICENSKOLL_INGEST_TOKEN', tokenId: 'env:ingest', schools: [], groups: [] },
};

/**
 * Resolves bearer tokens to callers. Issued tokens are cached briefly by hash so that a busy
 * ingest client does not cost a query per request; a revocation takes effect within `ttlMs`.
 */
export class TokenResolver {
  private cache = new Map<string, { caller: Caller | null; at: number }>();
  /** SHA-256 of the environment tokens, computed once: a request hashes its own token once and compares digests. */
  private readonly envDigests: { role: 'admin' | 'ingest'; digest: Buffer }[];

  constructor(
    private readonly storage: Storage,
    envTokens: { admin?: string; ingest?: string },
    private readonly ttlMs = 5_000,
  ) {
    this.envDigests = (['admin', 'ingest'] as const)
      .filter((role) => envTokens[role])
      .map((role) => ({ role, digest: createHash('sha256').update(envTokens[role]!).digest() }));
  }

  invalidate(): void {
    this.cache.clear();
  }

  /** The environment token this is, compared in constant time against each of them. */
  private envRole(digest: Buffer): 'admin' | 'ingest' | undefined {
    let role: 'admin' | 'ingest' | undefined;
    for (const e of this.envDigests) if (timingSafeEqual(digest, e.digest) && !role) role = e.role;
    return role;
  }

  /**
   * The caller of a token when it is known without asking storage: an environment token, or
   * a recent positive lookup. The token is hashed once per request; `resolve` takes the result.
   */
  identify(token: string): IdentifiedToken {
    const digest = oneShotHash('sha256', token, 'buffer');
    const env = this.envRole(digest);
    if (env) return { hash: '', caller: ENV_CALLERS[env] };
    const hash = digest.toString('hex');
    const hit = this.cache.get(hash);
    return { hash, caller: hit?.caller && Date.now() - hit.at < this.ttlMs ? hit.caller : undefined };
  }

  async resolve(token: string | IdentifiedToken, today: string): Promise<Caller | null> {
    const id = typeof token === 'string' ? this.identify(token) : token;
    if (id.caller) return id.caller;
    const { hash } = id;
    const hit = this.cache.get(hash);
    if (hit && Date.now() - hit.at < this.ttlMs) return hit.caller;
    const rows = await queryRows<{ id: string; name: string; role: Caller['role']; schools: string[]; groups: string[]; expires: string | null; revoked: number }>(
      this.storage.read,
      `SELECT id, name, role, schools, groups, if(isNull(expires), NULL, toString(expires)) AS expires, revoked
       FROM tokens FINAL WHERE hash = {hash:String}`,
      { hash },
      ['revoked'],
    );
    const r = rows[0];
    const caller = r && !r.revoked && (!r.expires || r.expires >= today)
      ? { role: r.role, name: r.name, tokenId: r.id, schools: r.schools, groups: r.groups }
      : null;
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(hash, { caller, at: Date.now() });
    return caller;
  }
}
