import { expect, it } from 'vitest';
import { regionUnmapped } from './region-unmapped.ts';

const row = (identifier: string, events: number, firstSeen: string, lastSeen: string) => ({ identifier, events, users: 3, firstSeen, lastSeen });

it('one row per identifier with the organisers that see it, their events summed and the widest days; most organisers first', () => {
  const got = regionUnmapped([
    [row('shared.example', 5, '2026-10-05T10:00:00+02:00', '2026-10-07T09:00:00+02:00'), row('only-a.example', 50, '2026-09-01T08:00:00+02:00', '2026-09-01T08:00:00+02:00')],
    [row('shared.example', 2, '2026-10-04T23:30:00+13:00', '2026-10-06T10:00:00+13:00')],
    [],
  ]);
  expect(got).toEqual([
    { identifier: 'shared.example', organisers: 2, events: 7, firstDay: '2026-10-04', lastDay: '2026-10-07' },
    { identifier: 'only-a.example', organisers: 1, events: 50, firstDay: '2026-09-01', lastDay: '2026-09-01' },
  ]);
  // Users are not summed: one person at two organisers would count twice.
  expect(Object.keys(got[0])).not.toContain('users');
});
