/**
 * The region demo (`LICENSKOLL_DEMO=region`) in a real browser: four municipalities in one
 * installation, and "Så gör andra" on Översikt and Licenser, equal to the API; the region's own
 * page for a region token; a municipality that opts out sees the notice instead, and leaves the
 * others' distributions.
 */
import { describe, expect, it } from 'vitest';
import { formatters } from '../../dashboards/src/format.ts';
import { join } from 'node:path';
import { apiJson, browserSuite, poll, settled, shot, SHOTS, signIn, skipBrowser } from '../helpers/browser.ts';

const skip = skipBrowser('browser: the region demo');
const sv = formatters('sv');

/** The sign-ins the region demo printed for one municipality (region-demo.ts): `  admin  administratör  lk_<id>.…`. */
function printedAdmin(output: string, id: string): string {
  const m = new RegExp(`^ {2}admin +administratör +(lk_${id}\\.\\S+)$`, 'm').exec(output);
  if (!m) throw new Error(`no admin sign-in for ${id} in:\n${output.slice(-3000)}`);
  return m[1];
}

describe.skipIf(skip)('the region demo in Chromium', { timeout: 240_000 }, () => {
  const suite = browserSuite({ start: { demo: true, env: { LICENSKOLL_DEMO: 'region' } } });
  const period = async () => {
    const dates = suite.page.locator('.filters-dates');
    return `from=${await dates.getAttribute('data-from')}&to=${await dates.getAttribute('data-to')}`;
  };
  const peers = async (token: string) => apiJson<{ contributing: boolean; minPeers: number; rows: any[] }>(suite.base, token, `/v1/peers?${await period()}`);
  const rowOf = (name: string) => suite.page.locator('#peers tbody tr').filter({ has: suite.page.getByRole('rowheader', { name, exact: true }) });

  it('shows Så gör andra on Översikt and Licenser with the figures of the API', async () => {
    const { page } = suite;
    await signIn(page, suite.base, suite.adminToken);
    await page.locator('#peers').scrollIntoViewIfNeeded();
    const answer = await peers(suite.adminToken);
    expect(answer.contributing).toBe(true);
    // A product the three other municipalities all license and use: its adoption has a distribution.
    const row = answer.rows.find((r) => r.adoption.peers === 3 && r.adoption.own !== null);
    expect(row, 'a product with three peers').toBeDefined();
    const text = await rowOf(row.name).innerText();
    expect(text).toContain(sv.percent(row.adoption.own));
    expect(text).toContain(`andra: ${sv.percent(row.adoption.median)} (mitten ${sv.percent(row.adoption.q1)}–${sv.percent(row.adoption.q3)})`);
    expect(text).toContain(`plats ${row.adoption.rank} av 4`);
    expect(text).toContain(sv.money(row.pricePerSeat.own));
    expect(await page.locator('#peers').innerText()).not.toMatch(/Norrvik|Sjöby|Åkerby/);
    await shot(page, 'region-overview-peers');
    await page.locator('section:has(#peers)').screenshot({ path: join(SHOTS, 'region-peers-panel.png') });

    await page.getByRole('navigation').getByRole('link', { name: /^Licenser$/ }).click();
    await settled(page);
    await poll(() => rowOf(row.name).count()).toBe(1);
    await shot(page, 'region-licences-peers');
  });

  it('a region token opens Regionen: each municipality and the joint procurement, as the API, and nothing below them', async () => {
    const { page } = suite;
    const region = /region admin \(.*?\) +(lkr_\S+)/.exec(suite.server!.output())![1];
    const aggregates = await apiJson<{ rows: { organiser: { name: string }; totals: { cost: number; unusedCost: number } }[] }>(suite.base, region, '/v1/region/aggregates?' + new URLSearchParams({ from: '2026-08-01', to: new Date().toISOString().slice(0, 10) }));
    const agreement = await apiJson<{ rows: { organiser: { name: string }; unusedSek: number | null }[] }>(suite.base, region, '/v1/region/agreements/gr-matte-direkt');
    await page.getByRole('button', { name: 'Logga ut' }).click();
    await poll(() => page.getByRole('heading', { level: 1 }).innerText()).toBe('Logga in');
    await signIn(page, suite.base, region, /\//);
    await poll(() => page.locator('#region-organisers tbody tr').count()).toBe(4);
    expect(aggregates.rows).toHaveLength(4);
    for (const r of aggregates.rows) {
      const row = page.locator('#region-organisers tbody tr').filter({ has: page.getByRole('rowheader', { name: r.organiser.name, exact: true }) });
      expect(await row.innerText()).toContain(sv.money(r.totals.unusedCost));
    }
    await poll(() => page.locator('#agreement-gr-matte-direkt tbody tr').count()).toBe(4);
    const first = agreement.rows.find((r) => r.organiser.name === 'Exempelstads kommun')!;
    const row = page.locator('#agreement-gr-matte-direkt tbody tr').filter({ has: page.getByRole('rowheader', { name: 'Exempelstads kommun', exact: true }) });
    expect(await row.innerText()).toContain(sv.money(first.unusedSek));
    expect(await page.locator('main').innerText()).not.toMatch(/Björkängsskolan|Ekbackeskolan|klass 1A/);
    // An identifier no product maps, shown once with how many municipalities see it (the generated demo's unmapped sources are at all four).
    const unmapped = await apiJson<{ rows: { identifier: string; organisers: number }[] }>(suite.base, region, '/v1/region/unmapped');
    const widest = unmapped.rows[0];
    expect(widest.organisers).toBe(4);
    const cell = page.locator('#region-unmapped tbody tr').filter({ has: page.getByRole('rowheader', { name: widest.identifier, exact: true }) });
    await poll(() => cell.count()).toBe(1);
    expect(await cell.innerText()).toContain('\t4\t');
    await shot(page, 'region-page');
    await page.getByRole('button', { name: 'Logga ut' }).click();
    await poll(() => page.getByRole('heading', { level: 1 }).innerText()).toBe('Logga in');
  });

  it('a municipality that opts out sees why there is nothing, and leaves the others’ figures', async () => {
    const { page } = suite;
    const norrvik = printedAdmin(suite.server!.output(), 'norrvik');
    await signIn(page, suite.base, norrvik);
    const before = (await peers(suite.adminToken)).rows.find((r) => r.pricePerSeat.peers === 3)!;
    const res = await fetch(`${suite.base}/v1/peers/settings`, {
      method: 'PUT', headers: { Authorization: `Bearer ${norrvik}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ contribute: false }),
    });
    expect(res.status).toBe(200);
    await page.reload();
    await settled(page);
    await poll(() => page.locator('[data-testid="peers"]').innerText()).toContain('Ni delar inte era siffror med andra huvudmän');
    await shot(page, 'region-opted-out');
    // The first municipality now has two others for that product: no distribution, only its own figure.
    const after = (await peers(suite.adminToken)).rows.find((r) => r.product === before.product)!;
    expect(after.pricePerSeat).toMatchObject({ own: before.pricePerSeat.own, peers: null, median: null });
  });
});
