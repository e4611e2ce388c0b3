import { mapCaliperEvent } from '@licenskoll/importers';

export interface CaliperResult {
  /** index = position in the envelope's `data`. */
  events: { index: number; raw: Record<string, unknown> }[];
  skipped: number;
  /** Why items were skipped, by Caliper type and action, with counts. */
  skippedReasons: Record<string, number>;
  rejected: { index: number; error: string }[];
}

export class MalformedEnvelope extends Error {}

/**
 * A Caliper envelope (1.0, 1.1 or 1.2) into raw Licenskoll events, validated afterwards
 * like any other. The mapping is the importers' (`mapCaliperEvent`), so a file of
 * envelopes imported with `licenskoll import caliper` gives the same events as sending
 * them here. 1.0 envelopes have no `dataVersion`: only sensor, sendTime and data are required.
 */
export function caliperToEvents(body: unknown): CaliperResult {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new MalformedEnvelope('body must be a Caliper envelope object');
  const env = body as Record<string, unknown>;
  for (const f of ['sensor', 'sendTime', 'data']) {
    if (!(f in env)) throw new MalformedEnvelope(`envelope.${f}: is required`);
  }
  if (!Array.isArray(env.data)) throw new MalformedEnvelope('envelope.data: must be an array');
  const out: CaliperResult = { events: [], skipped: 0, skippedReasons: {}, rejected: [] };
  env.data.forEach((item, index) => {
    const r = mapCaliperEvent(item, env.sensor);
    if ('event' in r) out.events.push({ index, raw: r.event });
    else if ('skip' in r) {
      out.skipped++;
      out.skippedReasons[r.skip] = (out.skippedReasons[r.skip] ?? 0) + 1;
    } else {
      out.rejected.push({ index, error: `data[${index}]${r.reject.field ? `.${r.reject.field}` : ''}: ${r.reject.reason}` });
    }
  });
  return out;
}
