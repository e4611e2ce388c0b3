import { describe, expect, it } from 'vitest';
import { incomingAssignments } from '@licenskoll/roster';
import { RateLimiter, rateLimitsFromEnv } from '../../apps/server/src/http/rate-limit.ts';
import { dutyRolesFromEnv } from '../../apps/server/src/auth/staff-roles.ts';
import { auditAction } from '../../apps/server/src/auth/audit.ts';

/** The pure parts of access control, without a server. */
describe('teachers\' groups from SS12000 duties and activities', () => {
  it('reads Duty.assignmentRole and Activity.teachers × groups, with their dates', () => {
    const r = incomingAssignments(
      { data: [
        { id: 'd1', assignmentRole: [{ group: { id: 'g1' }, assignmentRoleType: 'Mentor', startDate: '2026-08-15' }, { group: { id: 'g2' }, endDate: '2026-12-20' }] },
        { id: 'd2' }, // states nothing about assignments: not part of the snapshot
        { id: 'd3', assignmentRole: [] }, // states it has none: its earlier assignments end
      ] },
      [{ id: 'a1', groups: [{ id: 'g3' }, { id: 'g4' }], teachers: [{ duty: { id: 'd2' }, startDate: '2026-09-01' }], endDate: '2027-06-15' }],
      '2026-09-01',
    );
    expect(r.rows).toEqual([
      { duty_id: 'd1', group_id: 'g1', akey: 'r2026-08-15', start: '2026-08-15', end: '2149-06-06', last_seen: '2026-09-01' },
      { duty_id: 'd1', group_id: 'g2', akey: 'r', start: '1970-01-01', end: '2026-12-20', last_seen: '2026-09-01' },
      { duty_id: 'd2', group_id: 'g3', akey: 'a:a1', start: '2026-09-01', end: '2027-06-15', last_seen: '2026-09-01' },
      { duty_id: 'd2', group_id: 'g4', akey: 'a:a1', start: '2026-09-01', end: '2027-06-15', last_seen: '2026-09-01' },
    ]);
    expect([...r.dutiesStated].sort()).toEqual(['d1', 'd3']);
    expect([...r.activitiesStated]).toEqual(['a1']);
  });

  it('ignores malformed entries instead of failing the import', () => {
    const r = incomingAssignments([null, 7, { id: 'd1', assignmentRole: [null, { group: 'x' }, { group: { id: '' } }] }], { data: [{ teachers: [] }] }, '2026-09-01');
    expect(r.rows).toEqual([]);
  });
});

describe('duty role mapping', () => {
  it('defaults to Rektor -> principal and Lärare -> teacher, matched without case', () => {
    const m = dutyRolesFromEnv({});
    expect(m.get('rektor')).toBe('principal');
    expect(m.get('lärare')).toBe('teacher');
  });
  it('is configurable and names a bad entry', () => {
    expect([...dutyRolesFromEnv({ LICENSKOLL_DUTY_ROLES: 'Förskolechef=principal, Lärare=teacher' })]).toEqual([['förskolechef', 'principal'], ['lärare', 'teacher']]);
    expect(() => dutyRolesFromEnv({ LICENSKOLL_DUTY_ROLES: 'Rektor=admin' })).toThrow(/principal or teacher/);
    expect(() => dutyRolesFromEnv({ LICENSKOLL_DUTY_ROLES: 'Rektor' })).toThrow(/dutyRole=principal/);
  });
});

describe('rate limiter', () => {
  it('allows a burst, then the sustained rate, and says how long to wait', () => {
    let now = 0;
    const rl = new RateLimiter(rateLimitsFromEnv({ LICENSKOLL_RATE_LIMIT_READ: '60' }), () => now);
    const limit = rl.limits.read; // 60 a minute, burst 12
    expect(limit).toEqual({ perMinute: 60, burst: 12 });
    for (let i = 0; i < 12; i++) expect(rl.take('t', limit)).toBe(0);
    expect(rl.take('t', limit)).toBe(1);
    now += 1000;
    expect(rl.take('t', limit)).toBe(0);
    expect(rl.take('other', limit)).toBe(0);
  });
  it('has generous defaults for ingest', () => {
    const l = rateLimitsFromEnv({});
    expect(l.read).toEqual({ perMinute: 600, burst: 120 });
    expect(l.ingest).toEqual({ perMinute: 12_000, burst: 2000 });
    expect(() => rateLimitsFromEnv({ LICENSKOLL_RATE_LIMIT_READ: '0' })).toThrow(/LICENSKOLL_RATE_LIMIT_READ/);
  });
});

describe('audit actions', () => {
  it('names reads, exports, administration and privacy requests; not ingest or lookups', () => {
    expect(auditAction('GET', '/v1/reports/class-usage')).toBe('report.class-usage');
    expect(auditAction('GET', '/v1/reports/licences', 'csv')).toBe('export.licences');
    expect(auditAction('POST', '/v1/privacy/erase')).toBe('privacy.erase');
    expect(auditAction('DELETE', '/v1/tokens/abc')).toBe('token.revoke');
    expect(auditAction('POST', '/v1/followups')).toBe('followup.add');
    expect(auditAction('POST', '/v1/events')).toBeNull();
    expect(auditAction('GET', '/v1/groups')).toBeNull();
    expect(auditAction('GET', '/v1/me')).toBeNull();
    expect(auditAction('PUT', '/v1/sign-in/oidc')).toBe('signin.settings.write');
    expect(auditAction('DELETE', '/v1/sign-in/oidc')).toBe('signin.settings.delete');
    expect(auditAction('GET', '/v1/sign-in/oidc')).toBeNull();
  });
});
