import { describe, expect, it } from 'vitest';
import type { ClassUsageRow } from './api/types.ts';
import { buildMatrix, isNeverOpened, onlyClasses } from './classMatrix.ts';

const row = (o: Partial<ClassUsageRow>): ClassUsageRow => ({
  school: 'S1', schoolName: 'Ekbacken', group: 'g7a', groupName: '7A', groupType: 'Klass', product: 'matte', productName: 'Matte Direkt',
  enrolled: 25, active: 10, adoption: 0.4, events: 50, activeDays: 8, lastActive: '2026-03-01', inTarget: null, ...o,
});

describe('buildMatrix', () => {
  const rows = [
    row({}),
    row({ product: 'eng', productName: 'Engelska', active: 0, adoption: 0, events: 0, activeDays: 0, lastActive: null }),
    row({ group: 'g10a', groupName: '10A', product: 'matte' }),
    row({ group: 'g9b', groupName: '9B', enrolled: 0, active: 0, adoption: null, product: 'eng', productName: 'Engelska' }),
    row({ school: 'S0', schoolName: 'Åsen', group: 'g1', groupName: '1A', product: 'matte' }),
  ];
  const m = buildMatrix(rows);
  it('orders classes by school then class name, numerically', () => {
    expect(m.classes.map((c) => c.groupName)).toEqual(['7A', '9B', '10A', '1A']);
    expect(m.schools).toBe(2);
  });
  it('lists products by name', () => {
    expect(m.products).toEqual([{ id: 'eng', name: 'Engelska' }, { id: 'matte', name: 'Matte Direkt' }]);
  });
  it('flags a class with pupils that never opened a licensed material, not an empty class', () => {
    expect(m.classes[0].neverOpened).toBe(1);
    expect(m.classes[1].neverOpened).toBe(0);
    expect(m.flagged).toBe(1);
    expect(isNeverOpened(rows[3])).toBe(false);
  });
  it('keeps each cell addressable by product', () => {
    expect(m.classes[0].cells.get('eng')?.active).toBe(0);
    expect(m.classes[2].cells.has('eng')).toBe(false);
  });
});

describe('onlyClasses', () => {
  it('keeps Klass groups when the register types them', () => {
    const rows = [row({}), row({ group: 'u1', groupType: 'Undervisning' })];
    expect(onlyClasses(rows)).toHaveLength(1);
    expect(onlyClasses([row({ groupType: undefined }), row({ group: 'x', groupType: '' })])).toHaveLength(2);
  });
});
