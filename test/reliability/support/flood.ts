import { readFileSync } from 'node:fs';
import { post } from './events.ts';

/** Resident memory of a process in bytes, from /proc (includes the embedded engine's memory). */
export function rssBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}

/** Samples a process's RSS until stopped; `peak` is the highest sample. */
export function sampleRss(pid: number, everyMs = 100) {
  let peak = 0;
  const samples: number[] = [];
  const t = setInterval(() => {
    try {
      const v = rssBytes(pid);
      samples.push(v);
      if (v > peak) peak = v;
    } catch {
      // the process is gone
    }
  }, everyMs);
  return {
    stop: () => {
      clearInterval(t);
      return { peak, samples };
    },
  };
}

/** A large NDJSON body of unique events, built by template: the flooding clients must not be the bottleneck. */
export function floodBody(prefix: string, seq: number, n: number): string {
  const base = Date.now() - 10 * 86_400_000;
  const lines: string[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const k = seq + i;
    const time = new Date(base + (k % 864_000) * 1000).toISOString();
    lines[i] = `{"id":"${prefix}-${k}","type":"${k % 3 ? 'login' : 'launch'}","time":"${time}","user":"pupil-${k % 30_000}@skola.example.se","product":"https://sp${k % 60}.example.com/shibboleth","source":"flood"}`;
  }
  return lines.join('\n');
}

export interface FloodResult {
  requests: number;
  accepted: number;
  statuses: Record<number, number>;
  unexpected: string[];
  seconds: number;
}

/** Clients posting large NDJSON bodies as fast as answers come back, for `ms`. */
export async function flood(url: string, token: string, o: { clients: number; eventsPerBody: number; ms: number; prefix: string }): Promise<FloodResult> {
  const end = Date.now() + o.ms;
  const r: FloodResult = { requests: 0, accepted: 0, statuses: {}, unexpected: [], seconds: o.ms / 1000 };
  const client = async (c: number) => {
    let seq = 0;
    while (Date.now() < end) {
      const text = floodBody(`${o.prefix}-c${c}`, seq, o.eventsPerBody);
      seq += o.eventsPerBody;
      let a;
      try {
        a = await post(url, token, '/v1/events', text, 'application/x-ndjson');
      } catch (e) {
        const cause = (e as { cause?: { code?: string; message?: string } }).cause;
        r.unexpected.push(`request failed: ${cause?.code ?? cause?.message ?? (e as Error).message}`);
        continue;
      }
      r.requests++;
      r.statuses[a.status] = (r.statuses[a.status] ?? 0) + 1;
      if (a.status === 202) r.accepted += a.json.accepted;
      else if (a.status === 429 || a.status === 503) {
        if (!/^\d+$/.test(a.headers.get('retry-after') ?? '')) r.unexpected.push(`${a.status} without Retry-After`);
        await new Promise((res) => setTimeout(res, 50));
      } else r.unexpected.push(`status ${a.status}: ${JSON.stringify(a.json).slice(0, 200)}`);
    }
  };
  await Promise.all(Array.from({ length: o.clients }, (_, c) => client(c)));
  return r;
}
