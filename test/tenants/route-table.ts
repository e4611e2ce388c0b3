import { loadConfig, Pseudonymiser } from '@licenskoll/core';
import { createApp, createIngestApp } from '../../apps/server/src/boot/app.ts';
import type { AppContext } from '../../apps/server/src/context.ts';
import { createRegionApp } from '../../apps/server/src/region/routes.ts';
import { RegionTokens } from '../../apps/server/src/region/region-tokens.ts';
import type { TokenResolver } from '../../apps/server/src/auth/tokens.ts';

export interface Route {
  method: string;
  path: string;
  /** The path's parameters (`:id`, `:kind`), in order. */
  params: string[];
  /** Served by the region's app (only region tokens reach it). */
  region: boolean;
}

/**
 * Every endpoint the service serves, read from the apps themselves (Hono's `app.routes`): the
 * main app, the ingest app and the region's app. Building them touches no storage, so a
 * context with nothing behind it is enough. Middleware (`ALL`) and the dashboard's files are
 * left out; a route added to any app is in this list without anyone adding it.
 */
export function routeTable(): Route[] {
  const ctx = {
    config: loadConfig({}), storage: {}, pseudo: new Pseudonymiser('route-table-only-0123456789'), writer: {}, mail: {},
  } as unknown as AppContext;
  const tokens = {} as TokenResolver;
  const region = createRegionApp(() => undefined, new RegionTokens(() => undefined), { timeZone: 'Europe/Stockholm' });
  const seen = new Map<string, Route>();
  const add = (routes: { method: string; path: string }[], isRegion: boolean) => {
    for (const r of routes) {
      if (r.method === 'ALL' || r.path.includes('*')) continue;
      if (!/^\/(v1|bol|auth)\//.test(r.path)) continue;
      const key = `${r.method} ${r.path}`;
      if (!seen.has(key)) seen.set(key, { method: r.method, path: r.path, params: [...r.path.matchAll(/:(\w+)/g)].map((m) => m[1]), region: isRegion });
    }
  };
  add(createApp(ctx, tokens).routes, false);
  add(createIngestApp(ctx, tokens).routes, false);
  add(region.routes, true);
  return [...seen.values()];
}
