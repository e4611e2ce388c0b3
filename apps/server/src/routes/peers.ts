import { Hono } from 'hono';
import { z } from 'zod';
import { todayInZone } from '@licenskoll/core';
import { defaultWindow, PEER_MIN, peerComparison, peerContribution } from '@licenskoll/reports';
import { requireRole } from '../auth/auth.ts';
import type { AppContext, Env } from '../context.ts';
import { validBody } from '../http/validation.ts';
import { parseWindow } from '../region/routes.ts';
import { contributesToPeers, setContributesToPeers } from '../region/peer-setting.ts';

const peerSettingInput = z.strictObject({ contribute: z.boolean({ message: 'must be true or false' }) }, { message: 'is not a field of the peer setting' });

/**
 * "Så gör andra" (figure 26): `GET /v1/peers` compares the organiser's products with the other
 * organisers of the installation that license them, never naming one; `GET|PUT
 * /v1/peers/settings` is whether it contributes (and so sees the others). Admins and
 * purchasers read it, since it is about the whole organiser; only an admin changes it.
 */
export function peerRoutes(ctx: AppContext) {
  const app = new Hono<Env>();
  app.get('/peers', requireRole('admin', 'purchaser'), async (c) => {
    const q = parseWindow(c);
    const today = ctx.today ?? todayInZone(ctx.config.timeZone);
    const window = defaultWindow({ from: q.from, to: q.to }, { timeZone: ctx.config.timeZone, today });
    const inputs = (await ctx.peers?.(window)) ?? (await contributesToPeers(ctx.storage) ? { own: await peerContribution(ctx.storage, { window, asOf: today }), others: [] } : 'opted_out');
    const contributing = inputs !== 'opted_out';
    const rows = contributing ? peerComparison(inputs.own, inputs.others) : [];
    return c.json({ window, contributing, minPeers: PEER_MIN, rows });
  });
  app.get('/peers/settings', requireRole('admin', 'purchaser'), async (c) => c.json({ contribute: await contributesToPeers(ctx.storage) }));
  app.put('/peers/settings', requireRole('admin'), async (c) => {
    const { contribute } = await validBody(c, peerSettingInput, 'invalid_peer_setting');
    const before = await contributesToPeers(ctx.storage);
    await setContributesToPeers(ctx.storage, contribute);
    c.set('auditParams', { before, contribute });
    return c.json({ contribute });
  });
  return app;
}
