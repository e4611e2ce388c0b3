import { serve } from '@hono/node-server';
import { Hono } from 'hono';

/**
 * The yardstick for HTTP ingest: a bare Hono handler on @hono/node-server that reads the body
 * and answers 202 without validating or storing anything. Same runtime and framework as the
 * service, so the difference is what Licenskoll does per event.
 */
const app = new Hono();
app.post('/v1/events', async (c) => {
  await c.req.text();
  return c.json({ accepted: 1, duplicates: 0, rejected: [] }, 202);
});
const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
  console.log(`listens on http://localhost:${info.port}`);
});
process.on('SIGTERM', () => s.close(() => process.exit(0)));
