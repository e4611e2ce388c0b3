import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '../helpers/server.ts';
import { WINDOW } from './organiser-fixture.ts';
import { REGION_ADMIN_TOKEN, ROLES, startTwoOrganisers, type LoadedOrganiser, type TwoOrganisers } from './two-organisers.ts';

/**
 * The region's shared product catalogue (docs/tenants.md, "Shared catalogue"): inherited by
 * both organisers of two-organisers.ts, overridden locally by one, removed only where it was
 * inherited, exported and imported as JSON and CSV, and the identifiers no organiser maps
 * counted across organisers without naming any.
 */
let t: TwoOrganisers;

const NO = 'https://no-spanar.example/shibboleth';
const NO_PRODUCT = {
  id: 'GR-NO', name: 'NO-spanar', supplier: 'Gleerups', identifiers: [NO, 'lti-client-77', '6f1c3a2e-0000-4000-8000-00000000a11d'],
  target: { schoolTypes: ['GR'], years: [4, 5, 6] },
};
// A supplier and a name that a CSV must quote: comma, quotes, Swedish letters.
const SV_PRODUCT = { id: 'GR-SV', name: 'Svenska, "Läsa & skriva"', supplier: 'Förlaget Å; Ö', identifiers: ['sv.example'] };

const ok = async (r: Promise<{ status: number; text: string; json: any }>, want: number) => {
  const got = await r;
  expect(got.status, got.text.slice(0, 400)).toBe(want);
  return got.json;
};
const productsOf = async (o: LoadedOrganiser) => (await ok(o.client('admin').get('/v1/products'), 200)).rows as any[];
const productOf = async (o: LoadedOrganiser, id: string) => (await productsOf(o)).find((p) => p.id === id);
const catalogue = async () => (await ok(t.region.get('/v1/region/catalogue'), 200)).rows as any[];

beforeAll(async () => {
  t = await startTwoOrganisers();
  // Use of a product no organiser has yet: two pupils at ALFA, one at BETA (the identifier in
  // another case there: the same in its normal form), and a tool only BETA's pupils use.
  const at = (day: string) => `2026-10-${day}T10:00:00+02:00`;
  await ok(t.alfa.client('ingest').post('/v1/events', [1, 2].map((i) => ({ id: `no-a-${i}`, type: 'login', time: at('06'), user: t.alfa.fx.email(i), product: NO }))), 202);
  await ok(t.beta.client('ingest').post('/v1/events', [
    { id: 'no-b-1', type: 'login', time: at('09'), user: t.beta.fx.email(1), product: NO.toUpperCase() },
    { id: 'solo-b-1', type: 'login', time: at('12'), user: t.beta.fx.email(2), product: 'solo-tool.example' },
  ]), 202);
}, 300_000);
afterAll(async () => {
  await t?.s.stop();
});

describe('the shared catalogue', () => {
  it('shows an identifier unmapped at both organisers once, with organisers: 2, and names neither', async () => {
    const r = await t.region.get(`/v1/region/unmapped?${WINDOW}`);
    expect(r.status, r.text).toBe(200);
    const no = r.json.rows.find((x: any) => x.identifier === NO);
    expect(no).toEqual({ identifier: NO, organisers: 2, events: 3, firstDay: '2026-10-06', lastDay: '2026-10-09' });
    expect(r.json.rows.filter((x: any) => x.identifier === NO)).toHaveLength(1);
    expect(r.json.rows.find((x: any) => x.identifier === 'solo-tool.example')).toMatchObject({ organisers: 1, events: 1 });
    // No organiser, person or school in it.
    for (const o of [t.alfa, t.beta]) {
      expect([o.fx.tag, o.fx.code, o.fx.email(1), o.fx.email(2), 'BETA kommun', '"default"'].filter((m) => r.text.includes(m))).toEqual([]);
    }
    expect((await t.region.get('/v1/region/unmapped?from=2026-11-01&to=2026-10-01')).json.error.details).toEqual([{ field: 'to', reason: 'must not be before from' }]);
  });

  it("is the region's: organiser tokens get 403, a region analyst reads but cannot write", async () => {
    for (const o of [t.alfa, t.beta]) {
      for (const role of ROLES) {
        const c = o.client(role);
        for (const r of [c.get('/v1/region/catalogue'), c.put('/v1/region/catalogue', [NO_PRODUCT]), c.del('/v1/region/catalogue/GR-NO'), c.get('/v1/region/unmapped')]) {
          const got = await r;
          expect(got.status, `${o.fx.tag} ${role}: ${got.text.slice(0, 200)}`).toBe(403);
        }
      }
    }
    const issued = await ok(t.region.post('/v1/region/tokens', { name: 'Katalogläsare', role: 'region_analyst' }), 201);
    const analyst = api(t.s.url, issued.token);
    expect((await analyst.get('/v1/region/catalogue')).status).toBe(200);
    expect((await analyst.get('/v1/region/catalogue?format=csv')).status).toBe(200);
    expect((await analyst.get('/v1/region/unmapped')).status).toBe(200);
    expect((await analyst.put('/v1/region/catalogue', [NO_PRODUCT])).status).toBe(403);
    expect((await analyst.del('/v1/region/catalogue/GR-NO')).status).toBe(403);
    expect(await catalogue()).toEqual([]);
  });

  it('is inherited by both organisers (origin region), and an event carrying its identifier counts at both', async () => {
    const put = await ok(t.region.put('/v1/region/catalogue', [NO_PRODUCT, SV_PRODUCT]), 200);
    expect(put).toMatchObject({ stored: 2, rejectedCount: 0, rejected: [] });
    for (const o of [t.alfa, t.beta]) {
      expect(await productOf(o, 'GR-NO')).toEqual({
        id: 'GR-NO', name: 'NO-spanar', supplier: 'Gleerups', origin: 'region',
        identifiers: ['gr-no', NO, 'lti-client-77', '6f1c3a2e-0000-4000-8000-00000000a11d'],
        target: { schoolTypes: ['GR'], years: [4, 5, 6], subjects: [], dutyRoles: [] },
      });
      // The organiser's own products are its own.
      expect((await productOf(o, `${o.fx.tag}-MATTE`)).origin).toBe('local');
    }
    const usersAt = async (o: LoadedOrganiser) => (await ok(o.client('admin').get(`/v1/reports/overview?${WINDOW}`), 200)).rows.find((r: any) => r.product === 'GR-NO');
    expect(await usersAt(t.alfa)).toMatchObject({ name: 'NO-spanar', activeUsers: 2, events: 2 });
    expect(await usersAt(t.beta)).toMatchObject({ name: 'NO-spanar', activeUsers: 1, events: 1 });
    const unmapped = (await ok(t.region.get(`/v1/region/unmapped?${WINDOW}`), 200)).rows.map((r: any) => r.identifier);
    expect(unmapped).not.toContain(NO);
    expect(unmapped).toContain('solo-tool.example');
    // An organiser made after the catalogue inherits it at once.
    const made = await ok(t.region.post('/v1/region/organisers', { id: 'gamma', name: 'Gamma kommun' }), 201);
    const gamma = await ok(api(t.s.url, made.adminToken.token).get('/v1/products'), 200);
    expect(gamma.rows.map((p: any) => [p.id, p.origin])).toEqual([['GR-NO', 'region'], ['GR-SV', 'region']]);
  });

  it("keeps an organiser's override when the region changes the product; dropping it takes the region's", async () => {
    await ok(t.alfa.client('admin').post('/v1/products', { ...NO_PRODUCT, name: 'NO-spanar (Alfas namn)' }), 201);
    expect(await productOf(t.alfa, 'GR-NO')).toMatchObject({ name: 'NO-spanar (Alfas namn)', origin: 'local' });
    await ok(t.region.put('/v1/region/catalogue', [{ ...NO_PRODUCT, name: 'NO-spanar 4-6', identifiers: [...NO_PRODUCT.identifiers, 'no-spanar.example'] }]), 200);
    expect(await productOf(t.alfa, 'GR-NO')).toMatchObject({ name: 'NO-spanar (Alfas namn)', origin: 'local' });
    expect(await productOf(t.beta, 'GR-NO')).toMatchObject({ name: 'NO-spanar 4-6', origin: 'region' });
    expect((await productOf(t.beta, 'GR-NO')).identifiers).toContain('no-spanar.example');
    // The override's figures are the organiser's: its name in its overview.
    const overview = await ok(t.alfa.client('admin').get(`/v1/reports/overview?${WINDOW}`), 200);
    expect(overview.rows.find((r: any) => r.product === 'GR-NO').name).toBe('NO-spanar (Alfas namn)');

    expect((await t.alfa.client('teacher').del('/v1/products/GR-NO/override')).status).toBe(403);
    const dropped = await ok(t.alfa.client('purchaser').del('/v1/products/GR-NO/override'), 200);
    expect(dropped).toMatchObject({ id: 'GR-NO', name: 'NO-spanar 4-6', origin: 'region' });
    expect(await productOf(t.alfa, 'GR-NO')).toEqual(await productOf(t.beta, 'GR-NO'));
    // Nothing left to drop; an organiser's own product has no region version; an unknown one is 404.
    expect((await t.alfa.client('admin').del('/v1/products/GR-NO/override')).status).toBe(409);
    expect((await t.alfa.client('admin').del('/v1/products/ALFA-MATTE/override')).status).toBe(409);
    expect((await t.alfa.client('admin').del('/v1/products/NO-SUCH/override')).status).toBe(404);
    const audit = await ok(t.alfa.client('admin').get('/v1/audit'), 200);
    expect(JSON.stringify(audit)).toContain('NO-spanar (Alfas namn)');
  });

  it('removes a product deleted at region level only where it was inherited', async () => {
    // ALFA sets its own target for GR-SV: a change is an override.
    await ok(t.alfa.client('purchaser').put('/v1/products/GR-SV/target', { schoolTypes: ['GY'] }), 200);
    expect((await productOf(t.alfa, 'GR-SV')).origin).toBe('local');
    await ok(t.region.del('/v1/region/catalogue/GR-SV'), 200);
    expect((await catalogue()).map((p) => p.id)).toEqual(['GR-NO']);
    expect(await productOf(t.beta, 'GR-SV')).toBeUndefined();
    expect(await productOf(t.alfa, 'GR-SV')).toMatchObject({ name: SV_PRODUCT.name, origin: 'local', target: { schoolTypes: ['GY'] } });
    expect((await t.region.del('/v1/region/catalogue/GR-SV')).status).toBe(404);
    // Its override has nothing to go back to now.
    expect((await t.alfa.client('admin').del('/v1/products/GR-SV/override')).status).toBe(409);
  });

  it('exports as JSON and CSV, and either file imported into an empty catalogue gives the same catalogue', async () => {
    await ok(t.region.put('/v1/region/catalogue', [SV_PRODUCT, { id: 'GR-TOM', name: 'Utan leverantör' }]), 200);
    const exported = await catalogue();
    expect(exported.map((p) => p.id)).toEqual(['GR-NO', 'GR-SV', 'GR-TOM']);
    const json = (await t.region.get('/v1/region/catalogue?format=json')).text;
    const csv = await t.region.get('/v1/region/catalogue?format=csv');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.text.replace(/^\uFEFF/, '').split('\r\n')[0]).toBe('id,name,supplier,identifiers,school type,years,subjects,duty roles');
    expect(csv.text).toContain('4–6');
    const empty = async () => {
      for (const p of await catalogue()) await ok(t.region.del(`/v1/region/catalogue/${p.id}`), 200);
      expect(await catalogue()).toEqual([]);
      expect((await productsOf(t.beta)).map((p) => p.id)).toEqual(['BETA-ENG', 'BETA-MATTE']);
    };
    for (const [file, type] of [[csv.text, 'text/csv'], [json, 'application/json']]) {
      await empty();
      const r = await fetch(`${t.s.url}/v1/region/catalogue`, { method: 'PUT', headers: { authorization: `Bearer ${REGION_ADMIN_TOKEN}`, 'content-type': type }, body: file });
      const body = await r.json();
      expect(r.status, JSON.stringify(body)).toBe(200);
      expect(body).toMatchObject({ stored: 3, rejectedCount: 0 });
      expect(await catalogue(), type).toEqual(exported);
      expect((await productOf(t.beta, 'GR-SV')).origin).toBe('region');
    }
    expect((await t.region.get('/v1/region/catalogue?format=xml')).json.error.details[0].field).toBe('format');
  });

  it('refuses a bad row naming its row (CSV) or index (JSON) and field, and keeps the good rows', async () => {
    const sheet = 'Produkt id;Produktnamn;Leverantör;Skolform;Årskurs\r\nGR-KEM;Kemi direkt;Liber;GR;7-9\r\nGR-FEL;Fel;Liber;XX;7-9\r\nGR-FY;;Liber;GR;9-7\r\n';
    const csv = await t.region.put('/v1/region/catalogue', sheet);
    expect(csv.status, csv.text).toBe(200);
    expect(csv.json.stored).toBe(1);
    expect(csv.json.rejected.map((r: any) => [r.row, r.field])).toEqual([[3, 'Skolform'], [4, 'Årskurs']]);
    expect((await catalogue()).find((p) => p.id === 'GR-KEM')).toMatchObject({ name: 'Kemi direkt', target: { schoolTypes: ['GR'], years: [7, 8, 9] } });
    expect((await productOf(t.alfa, 'GR-KEM')).origin).toBe('region');

    const json = await t.region.put('/v1/region/catalogue', [{ id: 'GR-BIO', name: 'Biologi' }, { id: 'GR-X', name: '' }, { id: 'GR-Y', name: 'Y', target: { years: [11] } }]);
    expect(json.status, json.text).toBe(200);
    expect(json.json.stored).toBe(1);
    expect(json.json.rejected.map((r: any) => [r.index, r.field])).toEqual([[1, 'name'], [2, 'target.years.0']]);
    expect((await catalogue()).map((p) => p.id)).toContain('GR-BIO');

    // Nothing good: 400, every refused row in the details.
    const none = await t.region.put('/v1/region/catalogue', [{ id: 'GR-Z' }]);
    expect(none.status).toBe(400);
    expect(none.json.error.code).toBe('invalid_catalogue');
    expect(none.json.error.details).toEqual([{ index: 0, field: 'name', reason: 'is required' }]);
    expect((await t.region.put('/v1/region/catalogue', '')).status).toBe(400);
    expect((await t.region.put('/v1/region/catalogue', '{"rows": 3}')).json.error.details).toEqual([{ field: '(body)', reason: 'is not an array of products' }]);
  });
});
