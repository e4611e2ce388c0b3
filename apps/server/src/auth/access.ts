import type { AppContext } from '../context.ts';
import { AuditLog } from './audit.ts';
import { oidcSettingsFromEnv, sessionHoursFromEnv } from './oidc/settings.ts';
import { RateLimiter, rateLimitsFromEnv } from '../http/rate-limit.ts';
import { SignInSettings } from './oidc/sign-in-settings.ts';
import { Sessions, sessionPrefixOf } from './sessions.ts';
import { dutyRolesFromEnv, type RoleSources } from './staff-roles.ts';

/**
 * Access control state of one running service: sessions, rate limits, the audit log and the
 * sign-in settings. Built once per organiser from the environment; a bad setting stops the start.
 */
export interface Access {
  /** The OpenID Connect settings a login uses: the environment's (the first organiser's only), else the organiser's stored ones. */
  signIn: SignInSettings;
  sessions: Sessions;
  limiter: RateLimiter;
  audit: AuditLog;
  roles: RoleSources;
}

const states = new WeakMap<AppContext, Access>();

export function access(ctx: AppContext): Access {
  let a = states.get(ctx);
  if (a) return a;
  // The OpenID Connect settings of the environment are the first organiser's sign-in; every
  // organiser may store its own instead, and the environment's win (docs/tenants.md).
  const oidc = ctx.organiser && !ctx.organiser.first ? null : oidcSettingsFromEnv();
  const roles: RoleSources = {
    admins: new Set((oidc?.admins ?? []).map((v) => ctx.pseudo.user(v))),
    purchasers: new Set((oidc?.purchasers ?? []).map((v) => ctx.pseudo.user(v))),
    dutyRoles: dutyRolesFromEnv(),
  };
  a = {
    roles,
    signIn: new SignInSettings(ctx.storage, ctx.pseudo, oidc, roles),
    sessions: new Sessions(ctx.storage, roles, sessionHoursFromEnv(), sessionPrefixOf(ctx.organiser)),
    limiter: new RateLimiter(rateLimitsFromEnv()),
    audit: new AuditLog(ctx.storage),
  };
  states.set(ctx, a);
  return a;
}
