import { describe, expect, it } from 'vitest';
import type { LicenceRow } from './api/types.ts';
import { filterLicences, readShow } from './licenceFilter.ts';

const base: LicenceRow = {
  licence: 'L1', product: 'matte', productName: 'Matte Direkt', buyer: 'Ekbackeskolan, rektor', scope: { type: 'school', ids: ['S1'] }, audience: 'students',
  seats: 100, licensedActive: 30, utilisation: 0.3, unusedSeats: 70, unusedCost: 7000, costPerActiveUser: 333, price: 10000, cost: 10000, currency: 'SEK',
  start: '2026-08-01', end: '2027-07-31', daysToExpiry: 244, target: null, targetSize: null, outsideTarget: null,
};
const rows: LicenceRow[] = [
  base,
  { ...base, licence: 'L2', product: 'eng', productName: 'Engelska 7', buyer: 'Centrala inköp', licensedActive: 0, utilisation: 0, daysToExpiry: 20 },
  { ...base, licence: 'L3', product: 'ordbok', productName: 'Ordbok', seats: null, utilisation: null, unusedSeats: null, unusedCost: null, licensedActive: 50 },
  { ...base, licence: 'L4', utilisation: 0.9, licensedActive: 90, daysToExpiry: -3 },
];

describe('filterLicences', () => {
  const name = (id: string) => id;
  it('searches licence, product name and buyer, case-insensitively', () => {
    expect(filterLicences(rows, 'CENTRALA', 'all', name).map((r) => r.licence)).toEqual(['L2']);
    expect(filterLicences(rows, 'matte', 'all', name).map((r) => r.licence)).toEqual(['L1', 'L4']);
    expect(filterLicences(rows, 'l3', 'all', name).map((r) => r.licence)).toEqual(['L3']);
  });
  it('low utilisation leaves out unlimited licences', () => {
    expect(filterLicences(rows, '', 'low', name).map((r) => r.licence)).toEqual(['L1', 'L2']);
  });
  it('no licensed active users', () => {
    expect(filterLicences(rows, '', 'none', name).map((r) => r.licence)).toEqual(['L2']);
  });
  it('expiring within 90 days, not already ended', () => {
    expect(filterLicences(rows, '', 'expiring', name).map((r) => r.licence)).toEqual(['L2']);
  });
  it('readShow falls back to all', () => {
    expect(readShow('low')).toBe('low');
    expect(readShow('x')).toBe('all');
    expect(readShow(null)).toBe('all');
  });
});
