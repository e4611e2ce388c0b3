import { describe, expect, it } from 'vitest';
import { addressIn, parseMailbox } from './address.ts';
import { periodOfKey } from './outbox.ts';
import { latestDue, nextDue, parseSchedule, periodAt } from './schedule.ts';
import { parseSubscription } from './subscription-input.ts';

const TZ = 'Europe/Stockholm';
const cron = (expr: string) => {
  const s = parseSchedule(expr, TZ);
  if (!s.ok) throw new Error(s.reason);
  return s.cron;
};

describe('schedule', () => {
  it('reads five fields in the organiser\'s zone: Mondays 07:00 is 06:00 UTC in winter, 05:00 in summer', () => {
    const c = cron('0 7 * * 1');
    expect(nextDue(c, new Date('2026-12-03T12:00:00Z'))!.toISOString()).toBe('2026-12-07T06:00:00.000Z');
    expect(nextDue(c, new Date('2026-06-03T12:00:00Z'))!.toISOString()).toBe('2026-06-08T05:00:00.000Z');
  });

  it('finds the latest occurrence due, including one exactly now, and none before `since`', () => {
    const c = cron('0 7 * * *');
    const seven = new Date('2026-12-04T06:00:00.000Z');
    expect(latestDue(c, new Date('2026-12-01T00:00:00Z'), seven)).toEqual(seven);
    expect(latestDue(c, new Date('2026-12-01T00:00:00Z'), new Date(seven.getTime() + 500))).toEqual(seven);
    expect(latestDue(c, new Date('2026-12-01T00:00:00Z'), new Date(seven.getTime() - 1))!.toISOString()).toBe('2026-12-03T06:00:00.000Z');
    expect(latestDue(c, seven, new Date(seven.getTime() + 3_600_000))).toBeNull();
  });

  it('names a period by its wall clock with offset, and reads the key back', () => {
    const p = periodAt(new Date('2026-03-01T23:30:00Z'), TZ);
    expect(p).toMatchObject({ key: '2026-03-02T00:30:00+01:00', asOf: '2026-03-02' });
    expect(periodOfKey(p.key)).toEqual({ key: p.key, asOf: '2026-03-02', at: new Date('2026-03-01T23:30:00Z') });
  });

  it('refuses what is not a cron expression, with the reason', () => {
    expect(parseSchedule('0 25 * * 1', TZ)).toMatchObject({ ok: false, reason: 'is not a valid cron expression: Invalid value for hour: 25' });
    expect(parseSchedule('2026-01-01T00:00:00', TZ)).toMatchObject({ ok: false, reason: expect.stringMatching(/got 1 part\)$/) });
    expect(parseSchedule('0 0 30 2 *', TZ)).toEqual({ ok: false, reason: 'never falls due (no day matches it)' });
    expect(parseSchedule('@weekly', TZ).ok).toBe(true);
    expect(parseSchedule('*/10 * * * * *', TZ).ok).toBe(true);
  });
});

describe('addresses', () => {
  it('reads a sender with a name, and an address written inside a buyer\'s name', () => {
    expect(parseMailbox('Licenskoll <licenskoll@kommun.se>')).toEqual({ name: 'Licenskoll', address: 'licenskoll@kommun.se' });
    expect(parseMailbox('licenskoll@kommun.se')).toEqual({ address: 'licenskoll@kommun.se' });
    expect(parseMailbox('Licenskoll')).toBeNull();
    expect(addressIn('Inköp <inkop@kommun.se>')).toBe('inkop@kommun.se');
    expect(addressIn('Rektor Norrskolan')).toBeUndefined();
  });
});

describe('subscription input', () => {
  const ok = { name: 'Förnyelser', report: 'renewals', schedule: '0 7 * * 1', recipients: { kind: 'addresses', addresses: ['inkop@kommun.se'] } };
  const fields = (body: unknown) => {
    try {
      parseSubscription(body, TZ);
      return [];
    } catch (e) {
      return ((e as { details: { field: string }[] }).details).map((d) => d.field).sort();
    }
  };

  it('fills the defaults', () => {
    expect(parseSubscription(ok, TZ)).toEqual({ ...ok, format: 'xlsx', lang: 'sv', params: {}, enabled: true });
    expect(parseSubscription({ ...ok, recipients: { kind: 'buyers' } }, TZ).recipients).toEqual({ kind: 'buyers', within: 90, addresses: {} });
  });

  it('names every wrong field at once', () => {
    expect(fields({ ...ok, report: 'x', schedule: 'soon', recipients: { kind: 'addresses', addresses: ['a@b'] } })).toEqual(['recipients.addresses.0', 'report', 'schedule']);
    expect(fields({ ...ok, report: 'overview', recipients: { kind: 'buyers' } })).toEqual(['recipients.kind']);
    expect(fields({ ...ok, format: 'pdf' })).toEqual(['format']);
    expect(fields({ ...ok, params: { within: 0 } })).toEqual(['params.within']);
    expect(fields({ ...ok, params: { days: 3 } })).toEqual(['params.days']);
    expect(fields({ ...ok, recipients: { kind: 'everyone' } })).toEqual(['recipients.kind']);
    expect(fields({ ...ok, extra: 1 })).toEqual(['extra']);
  });
});
