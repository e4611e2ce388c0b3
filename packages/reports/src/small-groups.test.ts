import { describe, expect, it } from 'vitest';
import { MIN_GROUP_SIZE, SUPPRESSED_TEXT, suppressSmallGroups, type Viewer } from './small-groups.ts';

interface Row { level: 'class' | 'school'; group: string; enrolled: number; active: number; events: number }
const rows: Row[] = [
  { level: 'class', group: 'g-small', enrolled: MIN_GROUP_SIZE - 1, active: 3, events: 9 },
  { level: 'class', group: 'g-five', enrolled: MIN_GROUP_SIZE, active: 2, events: 4 },
  { level: 'school', group: '', enrolled: 1, active: 1, events: 1 },
];
const rule = { figures: ['active', 'events'] as const, group: (r: Row) => (r.level === 'class' ? r.group : null), size: (r: Row) => r.enrolled };
const as = (role: string, groups: string[] = []): Viewer => ({ role, groups });

describe('the small-group rule', () => {
  it('withholds a group of four from a principal and a purchaser, in the answer and in files', () => {
    for (const viewer of [as('principal'), as('purchaser')]) {
      const s = suppressSmallGroups(rows, viewer, rule);
      expect(s.suppressed).toBe(1);
      expect(s.rows[0]).toEqual({ ...rows[0], active: null, events: null, suppressed: true, reason: SUPPRESSED_TEXT });
      expect(s.fileRows[0]).toMatchObject({ active: SUPPRESSED_TEXT, events: SUPPRESSED_TEXT, enrolled: 4 });
      // Five pupils is enough, and a school's row is not a group's.
      expect(s.rows[1]).toEqual({ ...rows[1], suppressed: false });
      expect(s.rows[2]).toEqual({ ...rows[2], suppressed: false });
    }
  });

  it("shows it to admins and to the group's own teacher, not to another teacher", () => {
    expect(suppressSmallGroups(rows, as('admin'), rule).suppressed).toBe(0);
    expect(suppressSmallGroups(rows, as('teacher', ['g-small']), rule).rows[0]).toEqual({ ...rows[0], suppressed: false });
    expect(suppressSmallGroups(rows, as('teacher', ['g-five']), rule).rows[0].active).toBeNull();
  });
});
