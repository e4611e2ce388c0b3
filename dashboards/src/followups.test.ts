import { describe, expect, it } from 'vitest';
import { historyByLicence } from './followups.ts';

describe('historyByLicence', () => {
  it('groups per licence, newest first, whatever order the rows came in', () => {
    const m = historyByLicence([
      { licence: 'A', status: 'open', note: '', by: 'x', at: '2026-03-01T10:00:00.000Z' },
      { licence: 'B', status: 'keep', note: '', by: 'x', at: '2026-03-02T10:00:00.000Z' },
      { licence: 'A', status: 'reduce', note: 'to 200', by: 'y', at: '2026-03-05T10:00:00.000Z' },
    ]);
    expect(m.get('A')!.map((r) => r.status)).toEqual(['reduce', 'open']);
    expect(m.get('B')![0].status).toBe('keep');
    expect(m.has('C')).toBe(false);
  });
});
