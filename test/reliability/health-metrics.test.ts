import { afterAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { LOAD_ENV } from './support/crash.ts';
import { body, health, makeEvents, post, waitFor } from './support/events.ts';
import { Prng } from './support/prng.ts';

/** `GET /v1/health`: up or down for anyone, its details and `GET /metrics` for an admin or the metrics token, moving with ingest. */
let s: RunningServer | undefined;

afterAll(async () => {
  await s?.stop();
});

const metric = (text: string, name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);

describe('health and metrics', () => {
  it('reports storage, queue, spool and the last flush, and counts ingest in Prometheus text', { timeout: 120_000 }, async () => {
    s = await startServer({ env: { ...LOAD_ENV, LICENSKOLL_METRICS_TOKEN: 'scrape-secret-0123456789' } });
    const h0 = await health(s);
    expect(h0.status).toBe(200);
    expect(h0.json).toMatchObject({ status: 'ok', storage: 'ok', ingest: 'ok', mode: 'embedded', queueDepth: 0, spool: { batches: 0, rows: 0, bytes: 0 }, lastFlushAt: null });
    expect(h0.json.queueLimit).toBeGreaterThan(0);
    expect(h0.json.spool.maxBytes).toBe(512 * 1024 ** 2);

    // Without a token: up or down, nothing else. The details need the same tokens as /metrics.
    const probe = (token?: string) => fetch(`${s!.url}/v1/health`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    const anonymous = await probe();
    expect(anonymous.status).toBe(200);
    expect(await anonymous.json()).toEqual({ status: 'up' });
    expect((await probe('not-a-token')).status).toBe(401);
    const healthAsIngest = await probe(s.ingestToken);
    expect(healthAsIngest.status).toBe(403);
    expect((await healthAsIngest.json()).error.message).toMatch(/needs admin or the metrics token/);
    expect((await (await probe('scrape-secret-0123456789')).json()).queueLimit).toBe(h0.json.queueLimit);

    const scrape = (token?: string) => fetch(`${s!.url}/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    expect((await scrape()).status).toBe(401);
    expect((await scrape('not-a-token')).status).toBe(401);
    const asIngest = await scrape(s.ingestToken);
    expect(asIngest.status).toBe(403);
    expect((await asIngest.json()).error.code).toBe('forbidden');
    const before = await (await scrape('scrape-secret-0123456789')).text();

    const events = makeEvents(new Prng(7), 'hm', 0, 50);
    const { text, contentType } = body([...events, events[0], { ...events[1], type: 'logout' } as never], 'array');
    const a = await post(s.url, s.ingestToken, '/v1/events', text, contentType);
    expect(a.status).toBe(202);
    expect(a.json).toMatchObject({ accepted: 50, duplicates: 1 });
    expect(a.json.rejected).toHaveLength(1);
    // A 202 means journaled and fsynced; the insert into storage follows within moments.
    await waitFor('the journal to be stored', async () => (await health(s!)).json.spool.rows === 0);

    const res = await scrape(s.adminToken);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const after = await res.text();
    for (const name of [
      'licenskoll_ingest_events_accepted_total', 'licenskoll_ingest_events_duplicate_total', 'licenskoll_ingest_events_rejected_total',
      'licenskoll_ingest_flushes_total', 'licenskoll_ingest_flush_failures_total', 'licenskoll_spool_rows_total',
      'licenskoll_ingest_queue_rows', 'licenskoll_spool_bytes', 'licenskoll_storage_up', 'process_resident_memory_bytes',
    ]) {
      expect(after, name).toMatch(new RegExp(`^# TYPE ${name} (counter|gauge)$`, 'm'));
    }
    expect(metric(after, 'licenskoll_ingest_events_accepted_total') - metric(before, 'licenskoll_ingest_events_accepted_total')).toBe(50);
    expect(metric(after, 'licenskoll_ingest_events_duplicate_total') - metric(before, 'licenskoll_ingest_events_duplicate_total')).toBe(1);
    expect(metric(after, 'licenskoll_ingest_events_rejected_total') - metric(before, 'licenskoll_ingest_events_rejected_total')).toBe(1);
    expect(metric(after, 'licenskoll_ingest_flushes_total')).toBeGreaterThan(metric(before, 'licenskoll_ingest_flushes_total'));
    expect(metric(after, 'licenskoll_storage_up')).toBe(1);
    expect(after).toMatch(/^licenskoll_ingest_flush_duration_seconds_bucket\{le="\+Inf"\} [1-9]\d*$/m);
    expect(metric(after, 'licenskoll_ingest_flush_duration_seconds_count')).toBe(metric(after, 'licenskoll_ingest_flushes_total'));

    const h1 = await health(s);
    expect(Date.parse(h1.json.lastFlushAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(h1.json.lastFlushMs).toBeGreaterThanOrEqual(0);
  });
});
