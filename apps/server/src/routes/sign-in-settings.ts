import { Hono } from 'hono';
import { ApiError } from '@licenskoll/core';
import { access } from '../auth/access.ts';
import { requireRole } from '../auth/auth.ts';
import { signInBase } from '../auth/oidc/sign-in-settings.ts';
import { describeStoredOidc, oidcSettingsInput } from '../auth/oidc/stored-settings.ts';
import type { AppContext, Env } from '../context.ts';
import { validBody } from '../http/validation.ts';

/**
 * The organiser's own OpenID Connect sign-in (docs/tenants.md), admins only:
 *
 *   GET    /v1/sign-in/oidc  what is set: whether a client secret is, never the secret
 *   PUT    /v1/sign-in/oidc  sets it (stored-settings.ts); a secret left out keeps the stored one
 *   DELETE /v1/sign-in/oidc  turns it off; sessions already signed in end as they expire or are revoked
 *
 * The first organiser's settings from the environment (`LICENSKOLL_OIDC_*`) win: they are
 * shown, and changing them through the API is refused (409).
 */
export function signInSettingsRoutes(ctx: AppContext) {
  const app = new Hono<Env>();
  const acc = access(ctx);
  const base = signInBase(ctx.organiser);
  // The first organiser's callback is also served at /auth/callback, as before tenants.
  const callbackPaths = [...(ctx.organiser ? [`/auth/${ctx.organiser.id}/callback`] : []), ...(base === '/auth' ? ['/auth/callback'] : [])];
  const notFromEnvironment = () => {
    if (acc.signIn.fromEnvironment) {
      throw new ApiError(409, 'set_by_environment', 'sign-in is configured by LICENSKOLL_OIDC_* in the environment, which wins over stored settings: change it there');
    }
  };

  app.get('/sign-in/oidc', requireRole('admin'), async (c) => {
    const env = acc.signIn.fromEnvironment;
    if (env) {
      return c.json({
        configured: true, source: 'environment', issuer: env.issuer.href, clientId: env.clientId, clientAuth: env.clientAuth,
        clientSecretSet: Boolean(env.clientSecret), redirectUri: env.redirectUri.href, login: `${base}/login`,
      });
    }
    const stored = await acc.signIn.stored();
    return c.json(stored ? { configured: true, source: 'stored', ...describeStoredOidc(stored), login: `${base}/login` } : { configured: false, callbackPaths });
  });

  app.put('/sign-in/oidc', requireRole('admin'), async (c) => {
    notFromEnvironment();
    const input = await validBody(c, oidcSettingsInput(callbackPaths), 'invalid_sign_in_settings');
    const r = await acc.signIn.replace(input);
    if ('missing' in r) {
      const reason = `is required for ${input.clientAuth ?? 'client_secret_basic'} (none is stored): or set clientAuth to none for a public client`;
      throw new ApiError(400, 'invalid_sign_in_settings', `invalid body: clientSecret ${reason}`, [{ field: 'clientSecret', reason }]);
    }
    // Roles from the settings (admins, purchasers) apply to signed-in sessions at once.
    acc.sessions.invalidate();
    // Never the secret, nor an identifier: what changed is in the settings themselves.
    c.set('auditParams', { issuer: r.issuer, clientId: r.clientId, clientAuth: r.clientAuth, secretSent: input.clientSecret !== undefined, redirectUri: r.redirectUri });
    return c.json({ configured: true, source: 'stored', ...describeStoredOidc(r), login: `${base}/login` });
  });

  app.delete('/sign-in/oidc', requireRole('admin'), async (c) => {
    notFromEnvironment();
    const was = Boolean(await acc.signIn.stored());
    await acc.signIn.clear();
    acc.sessions.invalidate();
    c.set('auditParams', { was });
    return c.json({ configured: false });
  });
  return app;
}
