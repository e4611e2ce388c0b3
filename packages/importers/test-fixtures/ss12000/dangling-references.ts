/**
 * The ids that dangling-references.json is built around, for the tests that read it: an
 * organiser (H) whose export lost its school units S and U, a person who is not there (GHOST),
 * the groups G1 and G2, the duty D1 and the one person who is there (P1).
 */
export const DANGLING: Record<'H' | 'S' | 'U' | 'P1' | 'GHOST' | 'G1' | 'G2' | 'D1', string> = {
  H: 'c1000000-0000-4000-8000-000000000000',
  S: 'c1000000-0000-4000-8000-000000000001',
  U: 'c1000000-0000-4000-8000-000000000077',
  P1: 'c2000000-0000-4000-8000-000000000001',
  GHOST: 'c2000000-0000-4000-8000-000000000099',
  G1: 'c3000000-0000-4000-8000-000000000001',
  G2: 'c3000000-0000-4000-8000-000000000002',
  D1: 'c4000000-0000-4000-8000-000000000001',
};
