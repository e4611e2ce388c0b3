import type { Ss12000Group, Ss12000Organisation } from '@licenskoll/demo';
import type { TokenInput } from '@licenskoll/core';
import type { AppContext } from '../context.ts';
import { issueToken, listTokens, revokeToken, type IssuedToken } from '../auth/tokens.ts';

/**
 * Ready sign-ins for the demo, so a newcomer can walk it as every role without making tokens:
 * a principal of one school unit, a teacher of one class of it, and a purchaser. Demo mode
 * only, printed to the console of the one who started the server (never offered to whoever
 * reaches the sign-in page). A token's secret is shown only once, so every start with the demo
 * revokes the previous demo tokens and prints new ones with the same names and scopes; a start
 * without the demo revokes them, so they never outlive demo mode.
 */
export const DEMO_TOKEN_PREFIX = 'Demo: ';

export interface DemoSignIn {
  role: 'admin' | 'principal' | 'teacher' | 'purchaser';
  /** Whom it stands for, as printed: the school unit, the class, or the whole organiser. */
  who: string;
  token: string;
}

/** The smallest class that still shows its figures to a principal (5 pupils or more, docs/privacy.md). */
const SHOWN_GROUP = 5;

/**
 * The scopes to sign in with, from the seeded roster: the first school unit (by name) with a
 * class of at least five pupils, and its first such class, so the principal's and the teacher's
 * views both hold figures.
 */
export function demoRoleScopes(organisations: Ss12000Organisation[], groups: Ss12000Group[]): TokenInput[] {
  const byName = (a: { displayName: string }, b: { displayName: string }) => a.displayName.localeCompare(b.displayName, 'sv');
  const classes = groups.filter((g) => g.groupType === 'Klass' && g.groupMemberships.length >= SHOWN_GROUP).sort(byName);
  const school = organisations.filter((o) => o.organisationType === 'Skolenhet' && classes.some((g) => g.organisation.id === o.id)).sort(byName)[0];
  const scopes: TokenInput[] = [{ name: `${DEMO_TOKEN_PREFIX}inköpare, hela huvudmannen`, role: 'purchaser' }];
  if (school) {
    const klass = classes.find((g) => g.organisation.id === school.id)!;
    scopes.unshift(
      { name: `${DEMO_TOKEN_PREFIX}rektor, ${school.displayName}`, role: 'principal', schools: [school.id] },
      { name: `${DEMO_TOKEN_PREFIX}lärare, klass ${klass.displayName} på ${school.displayName}`, role: 'teacher', groups: [klass.id] },
    );
  }
  return scopes;
}

const isDemoToken = (t: IssuedToken) => t.name.startsWith(DEMO_TOKEN_PREFIX);

/**
 * Revokes the demo tokens of an earlier start and issues the same ones again (or, on the start
 * that seeded the demo, the `fresh` scopes), returning the new secrets. A store that never had
 * demo tokens (real data, the demo setting left on) gets none.
 */
export async function issueDemoSignIns(ctx: AppContext, fresh: TokenInput[] = []): Promise<DemoSignIn[]> {
  const earlier = (await listTokens(ctx.storage)).filter(isDemoToken);
  // By name: each start leaves one row a sign-in, revoked or not (a start without the demo revokes them all).
  const byName = new Map(earlier.map((t) => [t.name, t]));
  const scopes: TokenInput[] = [
    ...[...byName.values()].map((t) => ({ name: t.name, role: t.role as TokenInput['role'], ...(t.schools.length ? { schools: t.schools } : {}), ...(t.groups.length ? { groups: t.groups } : {}) })),
    ...fresh.filter((f) => !byName.has(f.name)),
  ];
  await revokeDemoSignIns(ctx, earlier);
  const out: DemoSignIn[] = [];
  for (const s of scopes) {
    // An admin only where the region demo made one for a municipality it created (region-demo.ts).
    if (s.role !== 'admin' && s.role !== 'principal' && s.role !== 'teacher' && s.role !== 'purchaser') continue;
    const { token } = await issueToken(ctx.storage, s, ctx.organiser);
    out.push({ role: s.role, who: s.name.slice(DEMO_TOKEN_PREFIX.length).replace(/^[^,]*, /, ''), token });
  }
  const order = { admin: 0, principal: 1, teacher: 2, purchaser: 3 };
  return out.sort((a, b) => order[a.role] - order[b.role]);
}

/** Revokes every demo token still valid: a start without the demo leaves none that signs in. */
export async function revokeDemoSignIns(ctx: AppContext, tokens?: IssuedToken[]): Promise<void> {
  for (const t of tokens ?? (await listTokens(ctx.storage)).filter(isDemoToken)) if (!t.revoked) await revokeToken(ctx.storage, t.id);
}

/** The console lines: one sign-in per role, the token last so it can be copied. */
export function demoSignInText(signIns: DemoSignIn[]): string {
  if (!signIns.length) return '';
  const width = Math.max(...signIns.map((s) => s.who.length));
  return [
    '\nDemo sign-ins (demo data only; each start revokes the previous ones and prints new ones).',
    'Paste one on the sign-in page to see the dashboard as that role:\n',
    ...signIns.map((s) => `  ${s.role.padEnd(10)} ${s.who.padEnd(width)}  ${s.token}`),
    '',
  ].join('\n');
}
