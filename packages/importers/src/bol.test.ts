import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { licenceInput } from '@licenskoll/core';
import { bolBuyerName, bolLicenceId, parseBolOrders, parseBolSchoolLicences } from './bol.ts';
import { FormatError } from './result.ts';

const fixture = (name: string) => readFileSync(new URL(`../test-fixtures/bol/${name}`, import.meta.url));

const LINE1 = {
  id: 'bol-EX-2024-0815-1', product: '9789127000001', seats: 120, audience: 'students', start: '2024-08-05', end: '2025-08-04',
  price: 5460, currency: 'SEK', orderRef: 'EX-2024-0815',
};
const LINE2 = {
  id: 'bol-EX-2024-0815-2', product: '9789127000002', seats: 30, audience: 'students', start: '2024-08-05', end: '2025-08-04',
  price: 3897, currency: 'SEK', orderRef: 'EX-2024-0815',
};

describe('parseBolOrders', () => {
  it('maps a bare order response: delivered lines only, price from the discounted unit price', async () => {
    const res = await parseBolOrders(fixture('order-response.json'), { fileName: 'svar.json' });
    expect(res.kind).toBe('bol-orders');
    expect(res.produces).toBe('licences');
    const org = { scope: { type: 'organisation', ids: ['organisation'] }, buyer: 'licensportal.example.se' };
    expect(res.records).toEqual([{ ...LINE1, ...org }, { ...LINE2, ...org }]);
    for (const l of res.records) expect(licenceInput.safeParse(l).success).toBe(true);
    expect(res.skippedReasons).toEqual({ 'not delivered (backordered)': 1, 'not delivered (failed: Artikeln utgången)': 1 });
    expect(res.notes).toContain('order EX-2024-0815 line 4: failed: Artikeln utgången');
    expect(res.rejected).toEqual([
      { file: 'svar.json', index: 0, field: 'orderLines[4].validToDate', reason: 'missing, and no duration in the order request' },
    ]);
    expect(res.stats).toEqual({ read: 5, kept: 2, rejected: 1, skipped: 2 });
    expect(res.notes).toContain('order EX-2024-0815: no buyer in the file (pass the order request); buyer set to "licensportal.example.se"');
  });

  it('takes buyer, school and duration from the order request given beside the response', async () => {
    const res = await parseBolOrders(fixture('order-response.json'), { requests: JSON.parse(fixture('order-request.json').toString()) });
    const school = { scope: { type: 'school', ids: ['99999999'] }, buyer: 'Anna Inköpare <anna.inkopare@example.se>' };
    expect(res.records).toEqual([
      { ...LINE1, ...school },
      { ...LINE2, ...school },
      // validToDate absent: fromDate + 12 months − 1 day from the request
      { id: 'bol-EX-2024-0815-5', product: '9789127000005', seats: 5, audience: 'students', start: '2024-08-05', end: '2025-08-04', price: 50, currency: 'SEK', orderRef: 'EX-2024-0815', ...school },
    ]);
    expect(res.rejected).toEqual([]);
    expect(res.notes).toEqual(['order EX-2024-0815 line 4: failed: Artikeln utgången']);
  });

  it('reads {request, response} pairs: organisation scope by organisation number, org name as buyer', async () => {
    const res = await parseBolOrders(fixture('order-exchanges.json'), { audience: 'all' });
    expect(res.records).toHaveLength(4);
    expect(res.records[3]).toEqual({
      id: 'bol-EX-2024-0901-a', product: 'ART-ORG', seats: 1000, scope: { type: 'organisation', ids: ['2120009999'] }, audience: 'all',
      start: '2024-09-01', end: '2025-08-31', price: 12345, currency: 'SEK', buyer: 'Exempelstads kommun', orderRef: 'EX-2024-0901',
    });
  });

  it('lets a later asynchronous response deliver a line that was backordered', async () => {
    const res = await parseBolOrders(fixture('order-responses-with-followup.json'));
    expect(res.records.map((r) => r.id)).toEqual(['bol-EX-2024-0815-1', 'bol-EX-2024-0815-2', 'bol-EX-2024-0815-3']);
    expect(res.records[2]).toMatchObject({ seats: 10, price: 800, start: '2024-09-01', end: '2025-08-31' });
  });

  it('gives the same ids on re-import, so licences update instead of duplicating', async () => {
    const a = await parseBolOrders(fixture('order-response.json'));
    const b = await parseBolOrders(fixture('order-response.json'));
    expect(a.records.map((r) => r.id)).toEqual(b.records.map((r) => r.id));
  });

  it('reports a cut-off file with a line number instead of throwing', async () => {
    const res = await parseBolOrders(fixture('order-response-truncated.json'), { fileName: 'svar.json' });
    expect(res.records).toEqual([]);
    expect(res.rejected).toHaveLength(1);
    expect(res.rejected[0]).toMatchObject({ file: 'svar.json', line: expect.any(Number), reason: expect.stringMatching(/^not valid JSON \(the file is cut off\)/) });
  });

  it('says when a file holds only order requests', async () => {
    const res = await parseBolOrders(fixture('order-request.json'));
    expect(res.rejected[0].reason).toBe('only order requests, no order responses: the response says what was delivered');
  });

  it('refuses a BOL 1.0 order (lines without a status) and JSON that is not BOL, instead of reading 0', async () => {
    const old = { clientId: 'c', serviceProviderId: 's', clientOrderNumber: 'N1', orderLines: [{ clientOrderLineId: '1', articleNumber: 'A', quantity: 3 }] };
    const e = await parseBolOrders(JSON.stringify(old), { fileName: 'gammal.json' }).catch((x) => x);
    expect(e).toBeInstanceOf(FormatError);
    expect(e).toMatchObject({ expected: 'bol-orders', detected: 'bol-1.0', file: 'gammal.json' });
    expect(e.message).toBe('gammal.json: this looks like a BOL 1.0 order (order lines without a status), not a BOL order response (BOL 1.1/1.2)');
    await expect(parseBolOrders('{"hello": "world"}')).rejects.toThrow('this looks like JSON of another kind, not a BOL order response');
    await expect(parseBolSchoolLicences('[{"hello": "world"}]')).rejects.toBeInstanceOf(FormatError);
  });

  it('refuses other BOL messages and other formats by name', async () => {
    await expect(parseBolOrders(fixture('school-unit-licenses.json'))).rejects.toThrow('this looks like a BOL school-unit licence response, not a BOL order response');
    const entra = readFileSync(new URL('../test-fixtures/entra/graph-page.json', import.meta.url));
    await expect(parseBolOrders(entra)).rejects.toBeInstanceOf(FormatError);
    const csv = readFileSync(new URL('../test-fixtures/licences/licences-en.csv', import.meta.url));
    await expect(parseBolOrders(csv)).rejects.toThrow('this looks like a licence sheet (CSV), not a BOL order response');
  });

  it('rounds prices to öre and uses the discounted price when both are given', async () => {
    const order = {
      clientId: 'c', serviceProviderId: 's', clientOrderNumber: 'N1', buyer: { type: 'organization', name: 'Kommunen' },
      orderLines: [{ clientOrderLineId: 'x', articleNumber: 'A', quantity: 3, validFromDate: '2024-01-01', validToDate: '2024-12-31', unitPrice: 10.1, discountedUnitPrice: 3.333, status: 'delivered' }],
    };
    const res = await parseBolOrders(JSON.stringify(order));
    expect(res.records[0].price).toBe(10);
    expect(res.records[0].buyer).toBe('Kommunen');
  });

  it('keeps a delivered line without any price at 0 and says so', async () => {
    const order = {
      clientId: 'c', serviceProviderId: 's', clientOrderNumber: 'N2', buyer: { name: 'Kommunen' },
      orderLines: [{ clientOrderLineId: 'x', articleNumber: 'A', quantity: 3, validFromDate: '2024-01-01', validToDate: '2024-12-31', status: 'delivered' }],
    };
    const res = await parseBolOrders(JSON.stringify([order]));
    expect(res.records[0].price).toBe(0);
    expect(res.notes).toEqual(['1 delivered line(s) without unitPrice: their price is 0']);
  });

  it('refuses a fractional quantity as seats, naming the BOL field', async () => {
    const order = {
      clientId: 'c', serviceProviderId: 's', clientOrderNumber: 'N1',
      orderLines: [{ clientOrderLineId: 'x', articleNumber: 'A', quantity: 2.5, validFromDate: '2024-01-01', validToDate: '2024-12-31', unitPrice: 1, status: 'delivered' }],
    };
    const res = await parseBolOrders(JSON.stringify(order));
    expect(res.rejected).toEqual([{ index: 0, field: 'orderLines[0].quantity', reason: 'must be a whole number' }]);
  });
});

describe('BOL helpers', () => {
  it('names the buyer: reference person with e-mail, else organisation', () => {
    expect(bolBuyerName({ reference: { firstName: 'Per', lastName: 'Johansson', email: 'per@example.se' } })).toBe('Per Johansson <per@example.se>');
    expect(bolBuyerName({ reference: { firstName: 'Per', lastName: '', email: '' } })).toBe('Per');
    expect(bolBuyerName({ name: 'Kommun Kommunen', reference: null })).toBe('Kommun Kommunen');
    expect(bolBuyerName({ organizationNumber: '2120009999' })).toBe('organisation 2120009999');
    expect(bolBuyerName(undefined)).toBeUndefined();
  });

  it('hashes ids that would be too long or contain spaces', () => {
    expect(bolLicenceId('C-1234', '12345')).toBe('bol-C-1234-12345');
    expect(bolLicenceId('order 1', '1')).toMatch(/^bol-[0-9a-f]{32}$/);
    expect(bolLicenceId('x'.repeat(120), '1')).toMatch(/^bol-[0-9a-f]{32}$/);
  });
});

describe('parseBolSchoolLicences', () => {
  it('maps each school and article to the publisher figure', async () => {
    const res = await parseBolSchoolLicences(fixture('school-unit-licenses.json'), { fileName: 'status.json' });
    expect(res.kind).toBe('bol-school-licences');
    expect(res.produces).toBe('publisher-licence-status');
    expect(res.records).toEqual([
      {
        serviceProviderId: 'forlag.example-edtech.com', school: { idSource: 'skolverket', id: '99999999' }, articleNumber: '9789127000001',
        articleName: 'Exempel Matte 7', totalLicenses: 120, assignedLicenses: 100, unassignedLicenses: 20, usedLicenses: 64,
      },
      {
        serviceProviderId: 'forlag.example-edtech.com', school: { idSource: 'skolverket', id: '99999999' }, articleNumber: '9789127000002',
        articleName: 'Exempel Svenska 7', totalLicenses: 30, assignedLicenses: 12, unassignedLicenses: 18,
      },
    ]);
    expect(res.rejected).toEqual([{ file: 'status.json', index: 0, field: 'schools[1].articles[0].totalLicenses', reason: 'must be a number ≥ 0' }]);
    expect(res.stats).toEqual({ read: 3, kept: 2, rejected: 1, skipped: 0 });
  });

  it('refuses an order response given as a status response', async () => {
    await expect(parseBolSchoolLicences(fixture('order-response.json'))).rejects.toThrow('this looks like a BOL order response, not a BOL school-unit licence response');
  });
});

describe('parseBolOrders: periods, buyers and schools', () => {
  const order = (line: Record<string, unknown>, buyer?: Record<string, unknown>, reqLine?: Record<string, unknown>) => {
    const response = { clientId: 'portal.example.se', serviceProviderId: 'sp', clientOrderNumber: 'O1', orderLines: [{ clientOrderLineId: '1', articleNumber: 'A', quantity: 2, unitPrice: 10, status: 'delivered', ...line }] };
    const request = buyer ? { clientId: 'portal.example.se', serviceProviderId: 'sp', clientOrderNumber: 'O1', buyer, orderLines: [{ clientOrderLineId: '1', articleNumber: 'A', quantity: 2, ...reqLine }] } : undefined;
    return JSON.stringify(request ? [request, response] : response);
  };

  const periods: [string, Record<string, unknown>, Record<string, unknown>, string, string][] = [
    ['12 months', {}, { fromDate: '2024-08-01', duration: 12, durationUnit: 'M' }, '2024-08-01', '2025-07-31'],
    ['1 year', {}, { fromDate: '2024-08-01', duration: 1, durationUnit: 'Y' }, '2024-08-01', '2025-07-31'],
    ['2 weeks', {}, { fromDate: '2024-08-01', duration: 2, durationUnit: 'W' }, '2024-08-01', '2024-08-14'],
    ['30 days', {}, { fromDate: '2024-08-01', duration: 30, durationUnit: 'D' }, '2024-08-01', '2024-08-30'],
    ['months by default, clamped to the month end', {}, { fromDate: '2024-01-31', duration: 1 }, '2024-01-31', '2024-02-28'],
    ['a year from 29 February', {}, { fromDate: '2024-02-29', duration: 1, durationUnit: 'år' }, '2024-02-29', '2025-02-27'],
    ['deliveryDate as start', { deliveryDate: '2024-09-01', validToDate: '2025-06-30' }, {}, '2024-09-01', '2025-06-30'],
    ['validFromDate wins over the request', { validFromDate: '2024-08-15', validToDate: '2025-08-14' }, { fromDate: '2024-08-01', duration: 12 }, '2024-08-15', '2025-08-14'],
  ];
  for (const [name, line, reqLine, start, end] of periods) {
    it(`derives the period: ${name}`, async () => {
      const res = await parseBolOrders(order(line, { type: 'organization', name: 'K' }, reqLine));
      expect(res.rejected).toEqual([]);
      expect(res.records[0]).toMatchObject({ start, end });
    });
  }

  it('refuses a malformed date, naming the BOL field', async () => {
    const res = await parseBolOrders(order({ validFromDate: '2024-08-01', validToDate: '31/07/2025' }));
    expect(res.rejected).toEqual([{ index: 0, field: 'orderLines[0].validToDate', reason: '"31/07/2025" is not a date YYYY-MM-DD' }]);
  });

  it('refuses a period that ends before it starts', async () => {
    const res = await parseBolOrders(order({ validFromDate: '2025-08-01', validToDate: '2024-07-31' }));
    expect(res.rejected).toEqual([{ index: 0, field: 'orderLines[0].validToDate', reason: 'must not be before start' }]);
  });

  it('names a private buyer by the reference person and scopes to the organisation placeholder', async () => {
    const res = await parseBolOrders(order({ validFromDate: '2024-08-01', validToDate: '2025-07-31' }, { type: 'private', reference: { firstName: 'Lisa', lastName: 'Lärare', email: 'lisa@example.se', notify: true } }));
    expect(res.records[0]).toMatchObject({ buyer: 'Lisa Lärare <lisa@example.se>', scope: { type: 'organisation', ids: ['organisation'] } });
  });

  it('keeps a school id from another source but says it is not a school unit code', async () => {
    const res = await parseBolOrders(order({ validFromDate: '2024-08-01', validToDate: '2025-07-31' }, { type: 'organization', name: 'K', school: { idSource: 'client', id: 'kund-17', name: 'Skolan' } }));
    expect(res.records[0].scope).toEqual({ type: 'school', ids: ['kund-17'] });
    expect(res.notes).toContain('order O1: school id "kund-17" comes from "client", not a Skolverket school unit code');
  });

  it('uses the configured buyer when the file names none', async () => {
    const res = await parseBolOrders(order({ validFromDate: '2024-08-01', validToDate: '2025-07-31' }), { buyer: 'Inköp, central förvaltning' });
    expect(res.records[0].buyer).toBe('Inköp, central förvaltning');
  });

  it('matches requests given separately as a file (an array of requests)', async () => {
    const req = { clientId: 'portal.example.se', serviceProviderId: 'sp', clientOrderNumber: 'O1', buyer: { type: 'organization', name: 'Kommunen' }, orderLines: [] };
    const res = await parseBolOrders(order({ validFromDate: '2024-08-01', validToDate: '2025-07-31' }), { requests: [req] });
    expect(res.records[0].buyer).toBe('Kommunen');
  });

  it('does not match a request of another client with the same order number', async () => {
    const req = { clientId: 'other.example.se', serviceProviderId: 'sp', clientOrderNumber: 'O1', buyer: { type: 'organization', name: 'Fel kommun' }, orderLines: [] };
    const res = await parseBolOrders(order({ validFromDate: '2024-08-01', validToDate: '2025-07-31' }), { requests: req });
    expect(res.records[0].buyer).toBe('portal.example.se');
  });

  it('counts lines still being processed as skipped', async () => {
    const res = await parseBolOrders(order({ status: 'beingProcessed' }));
    expect(res.skippedReasons).toEqual({ 'not delivered (beingProcessed)': 1 });
  });

  it('takes an empty array as no orders', async () => {
    const res = await parseBolOrders('[]');
    expect(res.records).toEqual([]);
    expect(res.rejected).toEqual([]);
  });
});
