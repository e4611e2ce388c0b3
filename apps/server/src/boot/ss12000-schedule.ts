import { todayInZone } from '@licenskoll/core';
import { fetchSs12000, type Ss12000Auth } from '@licenskoll/importers';
import { importSs12000 } from '@licenskoll/roster';
import type { AppContext } from '../context.ts';

export interface Ss12000Schedule {
  baseUrl: string;
  auth?: Ss12000Auth;
  everyMs: number;
}

/** The register pull, configured from the environment; absent when no URL is set. */
export function ss12000ScheduleFromEnv(env: NodeJS.ProcessEnv = process.env): Ss12000Schedule | undefined {
  const baseUrl = env.LICENSKOLL_SS12000_URL;
  if (!baseUrl) return undefined;
  const every = env.LICENSKOLL_SS12000_EVERY ?? '24h';
  const m = /^(\d+)\s*(m|h|d)$/.exec(every.trim());
  if (!m) throw new Error(`LICENSKOLL_SS12000_EVERY: "${every}" must be minutes, hours or days such as 30m, 24h or 1d`);
  const everyMs = Number(m[1]) * { m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 'm' | 'h' | 'd'];
  const auth: Ss12000Auth | undefined = env.LICENSKOLL_SS12000_CLIENT_ID
    ? {
        tokenUrl: env.LICENSKOLL_SS12000_TOKEN_URL ?? '',
        clientId: env.LICENSKOLL_SS12000_CLIENT_ID,
        clientSecret: env.LICENSKOLL_SS12000_CLIENT_SECRET ?? '',
        ...(env.LICENSKOLL_SS12000_SCOPE ? { scope: env.LICENSKOLL_SS12000_SCOPE } : {}),
      }
    : env.LICENSKOLL_SS12000_TOKEN
      ? { token: env.LICENSKOLL_SS12000_TOKEN }
      : undefined;
  return { baseUrl, ...(auth ? { auth } : {}), everyMs };
}

/**
 * Pulls the register at start and then every `everyMs`, each time as a snapshot as of the
 * organiser's today. A failed pull is logged and tried again at the next turn: the last good
 * snapshot stays in force meanwhile, which is what a register outage should mean.
 */
export function startSs12000Schedule(ctx: AppContext, s: Ss12000Schedule, log: (m: string) => void): () => void {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const run = async () => {
    const t0 = Date.now();
    try {
      const data = await fetchSs12000({ baseUrl: s.baseUrl, ...(s.auth ? { auth: s.auth } : {}) });
      const asOf = ctx.today ?? todayInZone(ctx.config.timeZone);
      const r = await importSs12000({ storage: ctx.storage, pseudo: ctx.pseudo }, data, asOf);
      log(`SS12000 pull from ${new URL(s.baseUrl).host} as of ${asOf} in ${Date.now() - t0} ms: ${JSON.stringify(r.counts)}, ${r.closedMemberships} memberships closed, ${r.rejected.length} rejected, ${r.unresolved.count} unresolved references`);
    } catch (e) {
      log(`SS12000 pull from ${new URL(s.baseUrl).host} failed: ${(e as Error).message}; next try in ${Math.round(s.everyMs / 60_000)} min`);
    }
    if (!stopped) timer = setTimeout(run, s.everyMs);
  };
  timer = setTimeout(run, 0);
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}
