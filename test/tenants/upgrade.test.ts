import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readlinkSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startServer } from '../helpers/server.ts';
import { organiserFixture, SHARED_EMAIL, WINDOW } from './organiser-fixture.ts';
import { REGION_ADMIN_TOKEN } from './two-organisers.ts';

/**
 * An existing data directory upgrades in place into the first organiser: a store made by the
 * code from before tenants (the parent of the commit that added organiser-runtime.ts, exported
 * beside this one with the same node_modules), then started with this code. Its figures,
 * tokens and pseudonyms are what they were; a second organiser added afterwards changes none of them.
 */
const ROOT = resolve(import.meta.dirname, '../..');
const git = (...args: string[]) => execFileSync('git', ['-C', ROOT, ...args], { encoding: 'utf8' }).trim();
let before = '';
let oldRoot = '';
let dataDir = '';

/** A checkout of `commit` whose node_modules are this one's, except the workspace packages, which are its own. */
function checkout(commit: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'licenskoll-before-tenants-'));
  // An export of the tree, not a worktree: nothing is added to the repository's own records.
  execFileSync('sh', ['-c', `git -C "$0" archive --format=tar "$1" | tar -x -C "$2"`, ROOT, commit, dir]);
  const mods = join(ROOT, 'node_modules');
  mkdirSync(join(dir, 'node_modules', '@licenskoll'), { recursive: true });
  for (const name of readdirSync(mods)) {
    if (name === '@licenskoll') continue;
    symlinkSync(join(mods, name), join(dir, 'node_modules', name));
  }
  // The workspace links are relative (../../packages/core): the same links resolve inside the checkout.
  for (const name of readdirSync(join(mods, '@licenskoll'))) {
    symlinkSync(readlinkSync(join(mods, '@licenskoll', name)), join(dir, 'node_modules', '@licenskoll', name));
  }
  return dir;
}

beforeAll(() => {
  // The path it was added under, before apps/server/src was grouped by concern.
  const added = git('log', '-1', '--format=%H', '--diff-filter=A', '--', 'apps/server/src/organiser-runtime.ts');
  before = git('rev-parse', `${added}^`);
  oldRoot = checkout(before);
  dataDir = mkdtempSync(join(tmpdir(), 'licenskoll-upgrade-'));
}, 120_000);
afterAll(() => {
  if (oldRoot) rmSync(oldRoot, { recursive: true, force: true });
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('an existing store upgrades in place into the first organiser', () => {
  it('nothing is lost: figures, tokens, follow-ups and pseudonyms are what the earlier code gave', async () => {
    const fx = organiserFixture('ALFA');
    const paths = [`/v1/reports/overview?${WINDOW}`, `/v1/reports/class-usage?${WINDOW}`, '/v1/licences', '/v1/products', '/v1/followups', '/v1/tokens', '/v1/groups'];
    const read = async (url: string, token: string) => {
      const out: Record<string, unknown> = {};
      for (const p of paths) {
        const r = await api(url, token).get(p);
        expect(r.status, `${p}: ${r.text.slice(0, 200)}`).toBe(200);
        out[p] = r.json;
      }
      const access = await api(url, token).post('/v1/privacy/access', { identifier: SHARED_EMAIL });
      out.pseudonyms = access.json.subject.pseudonyms;
      return out;
    };

    // The earlier code makes the store.
    const old = await startServer({ root: oldRoot, dataDir });
    let purchaser = '';
    let figures: Record<string, unknown>;
    try {
      expect(existsSync(join(oldRoot, 'apps/server/src/organiser-runtime.ts'))).toBe(false);
      const a = api(old.url, old.adminToken);
      expect((await a.post('/v1/events', fx.events)).status).toBe(202);
      expect((await a.post('/v1/import/ss12000?asOf=2026-08-20', fx.roster)).status).toBe(200);
      expect((await a.post('/v1/products', fx.products)).status).toBe(201);
      expect((await a.post('/v1/licences', fx.licences)).status).toBe(201);
      expect((await a.post('/v1/followups', { licence: fx.licences[0].id, status: 'keep', note: fx.followupNote })).status).toBe(201);
      purchaser = (await a.post('/v1/tokens', { name: 'Inköp', role: 'purchaser' })).json.token;
      figures = await read(old.url, old.adminToken);
      expect((figures[`/v1/reports/overview?${WINDOW}`] as { rows: unknown[] }).rows.length).toBe(2);
    } finally {
      expect(await old.stop()).toBe(0);
    }

    // This code opens it.
    // Every answer of the earlier code is there, value for value; fields added since (a licence's
    // förvaltning, say) may come beside them.
    const s = await startServer({ dataDir, env: { LICENSKOLL_REGION_ADMIN_TOKEN: REGION_ADMIN_TOKEN } });
    try {
      expect(await read(s.url, s.adminToken)).toMatchObject(figures!);
      expect((await api(s.url, purchaser).get('/v1/me')).json).toMatchObject({ role: 'purchaser', organiser: { id: 'default' } });
      const region = api(s.url, REGION_ADMIN_TOKEN);
      expect((await region.get('/v1/region/organisers')).json.rows).toMatchObject([{ id: 'default', first: true }]);
      const made = await region.post('/v1/region/organisers', { id: 'nykommun', name: 'Ny kommun' });
      expect(made.status, made.text).toBe(201);
      expect(await read(s.url, s.adminToken)).toMatchObject(figures!);
    } finally {
      expect(await s.stop()).toBe(0);
    }

    // And again after a restart: both organisers are there, the first one unchanged.
    const again = await startServer({ dataDir, env: { LICENSKOLL_REGION_ADMIN_TOKEN: REGION_ADMIN_TOKEN } });
    try {
      expect(await read(again.url, again.adminToken)).toMatchObject(figures!);
      expect((await api(again.url, REGION_ADMIN_TOKEN).get('/v1/region/organisers')).json.rows.map((r: { id: string }) => r.id)).toEqual(['default', 'nykommun']);
    } finally {
      await again.stop();
    }
  }, 600_000);
});
