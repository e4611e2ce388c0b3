import { describe, expect, it } from 'vitest';
import type { Ss12000Group, Ss12000Organisation } from '@licenskoll/demo';
import { DEMO_TOKEN_PREFIX, demoRoleScopes, demoSignInText } from './demo-roles.ts';

const org = (id: string, displayName: string, organisationType: Ss12000Organisation['organisationType'] = 'Skolenhet') =>
  ({ id, displayName, organisationType }) as Ss12000Organisation;
const group = (id: string, displayName: string, school: string, pupils: number, groupType: Ss12000Group['groupType'] = 'Klass') =>
  ({ id, displayName, groupType, organisation: { id: school }, groupMemberships: Array.from({ length: pupils }, (_, i) => ({ person: { id: `${id}-${i}` } })) }) as unknown as Ss12000Group;

describe('demoRoleScopes', () => {
  it('a principal of the first school unit by Swedish name with a class of five, its first such class, and a purchaser', () => {
    const orgs = [org('hm', 'Exempelstad', 'Huvudman'), org('o', 'Östra skolan'), org('a', 'Ängsskolan'), org('b', 'Björkskolan'), org('c', 'Almskolan')];
    // Almskolan comes first but has only a teaching group and a class of four; Björkskolan's 1B is too small.
    const groups = [group('c1', '1A', 'c', 4), group('c2', 'Ma 1', 'c', 20, 'Undervisning'), group('b2', '2A', 'b', 22), group('b1', '1B', 'b', 3), group('b3', '1A', 'b', 5), group('o1', '1A', 'o', 30)];
    expect(demoRoleScopes(orgs, groups)).toEqual([
      { name: `${DEMO_TOKEN_PREFIX}rektor, Björkskolan`, role: 'principal', schools: ['b'] },
      { name: `${DEMO_TOKEN_PREFIX}lärare, klass 1A på Björkskolan`, role: 'teacher', groups: ['b3'] },
      { name: `${DEMO_TOKEN_PREFIX}inköpare, hela huvudmannen`, role: 'purchaser' },
    ]);
  });

  it('only a purchaser when no class has five pupils', () => {
    expect(demoRoleScopes([org('a', 'A')], [group('g', '1A', 'a', 4)]).map((s) => s.role)).toEqual(['purchaser']);
  });
});

describe('demoSignInText', () => {
  it('one line a role, names in one column and the token last', () => {
    const text = demoSignInText([
      { role: 'principal', who: 'Björkskolan', token: 'lk_a' },
      { role: 'teacher', who: 'klass 1A på Björkskolan', token: 'lk_b' },
    ]);
    expect(text.split('\n').filter((l) => l.startsWith('  '))).toEqual([
      '  principal  Björkskolan              lk_a',
      '  teacher    klass 1A på Björkskolan  lk_b',
    ]);
    expect(demoSignInText([])).toBe('');
  });
});
