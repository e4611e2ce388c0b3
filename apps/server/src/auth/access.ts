import type { AppContext } from '../context.ts';
import { AuditLog } from './audit.ts';
import { oidcSettingsFromEnv, sessionHoursFromEnv, type OidcSettings } from './oidc/settings.ts';
import { RateLimiter, rateLimitsFromEnv } from '../http/rate-limit.ts';
import { Sessions } from './sessions.ts';
import { dutyRolesFromEnv, type RoleSources } from './staff-roles.ts';

/**
 * Access control state of one running service: sessions, rate limits, the audit log and the
 * sign-in settings. Built once per service from the environment; a bad setting stops the start.
 */
export interface Access {
  oidc: OidcSettings | null;
  sessions: Sessions;
  limiter: RateLimiter;
  audit: AuditLog;
  roles: RoleSources;
  /** `__Host-lk_session` over https (Secure, path /, no domain), `lk_session` on plain http. */
  sessionCookie: string;
}

const states = new WeakMap<AppContext, Access>();

export function access(ctx: AppContext): Access {
  let a = states.get(ctx);
  if (a) return a;
  // The OpenID Connect settings of the environment are the first organiser's sign-in; another
  // organiser signs in with its tokens (docs/tenants.md).
  const oidc = ctx.organiser && !ctx.organiser.first ? null : oidcSettingsFromEnv();
  const roles: RoleSources = {
    admins: new Set((oidc?.admins ?? []).map((v) => ctx.pseudo.user(v))),
    purchasers: new Set((oidc?.purchasers ?? []).map((v) => ctx.pseudo.user(v))),
    dutyRoles: dutyRolesFromEnv(),
  };
  a = {
    oidc,
    roles,
    sessions: new Sessions(ctx.storage, roles, sessionHoursFromEnv()),
    limiter: new RateLimiter(rateLimitsFromEnv()),
    audit: new AuditLog(ctx.storage),
    sessionCookie: oidc?.secureCookies ? '__Host-lk_session' : 'lk_session',
  };
  states.set(ctx, a);
  return a;
}
