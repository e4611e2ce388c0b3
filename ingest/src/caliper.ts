import type { EventInput } from '@licenskoll/core';

export interface CaliperResult {
  /** index = position in the envelope's `data`. */
  events: { index: number; raw: Record<string, unknown> }[];
  skipped: number;
  rejected: { index: number; error: string }[];
}

const idOf = (v: unknown): string | undefined => {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object' && typeof (v as { id?: unknown }).id === 'string') return (v as { id: string }).id;
  return undefined;
};

/** Which Caliper events are use: LoggedIn sessions and Launched tools; everything else is acknowledged. */
function kind(type: unknown, action: unknown): EventInput['type'] | undefined {
  if (type === 'SessionEvent' && action === 'LoggedIn') return 'login';
  if (type === 'ToolLaunchEvent' && action === 'Launched') return 'launch';
  return undefined;
}

export class MalformedEnvelope extends Error {}

/** At most `max` UTF-16 units, never ending in half a surrogate pair (which would not be text). */
function clip(s: string, max: number): string {
  if (s.length <= max) return s;
  const code = s.charCodeAt(max - 1);
  return s.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

/**
 * A Caliper 1.2 envelope into raw Licenskoll events (validated afterwards like any other):
 * the actor is the user, the object (the SoftwareApplication) the product, the group the group.
 */
export function caliperToEvents(body: unknown): CaliperResult {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new MalformedEnvelope('body must be a Caliper envelope object');
  const env = body as Record<string, unknown>;
  for (const f of ['sensor', 'sendTime', 'dataVersion', 'data']) {
    if (!(f in env)) throw new MalformedEnvelope(`envelope.${f}: is required`);
  }
  if (!Array.isArray(env.data)) throw new MalformedEnvelope('envelope.data: must be an array');
  const out: CaliperResult = { events: [], skipped: 0, rejected: [] };
  env.data.forEach((item, index) => {
    if (!item || typeof item !== 'object') {
      out.rejected.push({ index, error: `data[${index}]: must be an object` });
      return;
    }
    const ev = item as Record<string, unknown>;
    const type = kind(ev.type, ev.action);
    if (!type) {
      out.skipped++;
      return;
    }
    const group = idOf(ev.group);
    const ext = (ev.extensions ?? {}) as Record<string, unknown>;
    out.events.push({
      index,
      raw: {
        id: typeof ev.id === 'string' ? ev.id : undefined,
        type,
        time: ev.eventTime,
        user: idOf(ev.actor),
        product: idOf(ev.object) ?? idOf(ev.edApp),
        source: typeof env.sensor === 'string' ? clip(`caliper:${env.sensor}`, 100) : 'caliper',
        ...(group ? { group } : {}),
        ...(typeof ext.schoolUnitCode === 'string' ? { school: ext.schoolUnitCode } : {}),
      },
    });
  });
  return out;
}
