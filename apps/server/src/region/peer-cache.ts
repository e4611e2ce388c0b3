import { peerContribution, type PeerContribution, type Window } from '@licenskoll/reports';
import { writtenState, type Storage } from '@licenskoll/storage';

const MAX_ENTRIES = 500;
/**
 * What no licence figure is made of: who signed in and what they did (the audit log is
 * written by every request, this one included), follow-ups, mail, and the resolution cache,
 * which is made from the inputs that are counted.
 */
const NOT_FIGURES = { tables: ['audit_log', 'tokens', 'sessions', 'followups', 'mail_subscriptions', 'mail_deliveries', 'roster_imports'], prefixes: ['rc_'] };

interface Entry {
  state: string;
  contribution: PeerContribution;
}

/**
 * Each organiser's product figures for the peer comparison (figure 26), per window and day,
 * computed once and kept while its store is unchanged (writtenState, a look at the parts
 * list): a comparison over ten organisers would otherwise make ten licence reports per
 * request. Every use checks the store, so no figure is older than the data it is made of.
 */
export class PeerCache {
  private readonly entries = new Map<string, Entry>();
  private readonly computing = new Map<string, Promise<Entry>>();

  async get(organiser: string, storage: Storage, p: { window: Window; asOf: string }): Promise<PeerContribution> {
    const key = `${organiser}|${p.window.from}|${p.window.to}|${p.asOf}`;
    const hit = this.entries.get(key);
    const state = await writtenState(storage, NOT_FIGURES);
    if (hit && hit.state === state) {
      return hit.contribution;
    }
    // One computation per key at a time: concurrent requests wait for the same one.
    const running = this.computing.get(`${key}|${state}`);
    if (running) return (await running).contribution;
    const made = (async () => ({ state, contribution: await peerContribution(storage, { window: p.window, asOf: p.asOf }) }))();
    this.computing.set(`${key}|${state}`, made);
    try {
      const entry = await made;
      this.entries.delete(key);
      this.entries.set(key, entry);
      if (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
      return entry.contribution;
    } finally {
      this.computing.delete(`${key}|${state}`);
    }
  }
}
