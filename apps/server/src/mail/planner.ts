import type { Storage } from '@licenskoll/storage';
import { lastPlannedPeriods, periodPlanned, recordDeliveries, type DeliveryRow } from './deliveries.ts';
import { recipientsOf } from './recipients.ts';
import { latestDue, nextDue, parseSchedule, periodAt } from './schedule.ts';
import { listSubscriptions, type Subscription } from './subscriptions.ts';
import type { Period } from './attachments.ts';

export interface PlannerDeps {
  storage: Storage;
  timeZone: string;
  /** Mails were planned: the outbox sends them. */
  planned: () => void;
  log: (m: string) => void;
}

/** However far off the next occurrence, the planner looks again this often (a subscription changed elsewhere, a clock step). */
const LOOK_AGAIN_MS = 60_000;
/** A planning that failed (storage not answering) is tried again after this. */
const RETRY_MS = 10_000;

/**
 * Turns the schedules into planned mails. At each occurrence of a subscription's schedule its
 * period is planned: the recipients resolved then, a `planned` row each, and the period's own
 * row, in one insert. An occurrence missed while the service was stopped is planned at the
 * start, the latest one only (earlier missed ones are not made up: each report is as of its
 * day, and the latest is the one still worth reading). Occurrences before a subscription was
 * made or last changed are never due.
 */
export class Planner {
  private subs: Subscription[] = [];
  private last = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(private readonly d: PlannerDeps) {}

  /** Reads the subscriptions and what was planned (at the start, and after every change through the API). */
  reload(): Promise<void> {
    return this.serial(async () => {
      this.subs = await listSubscriptions(this.d.storage);
      for (const [sub, key] of await lastPlannedPeriods(this.d.storage)) this.last.set(sub, Date.parse(key));
    });
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private serial(work: () => Promise<void>): Promise<void> {
    const run = this.chain.then(async () => {
      if (this.stopped) return;
      clearTimeout(this.timer);
      let wait = LOOK_AGAIN_MS;
      try {
        await work();
        wait = await this.planDue();
      } catch (e) {
        this.d.log(`e-mail: planning failed: ${(e as Error).message}; trying again in ${RETRY_MS / 1000} s`);
        wait = RETRY_MS;
      }
      if (!this.stopped) {
        this.timer = setTimeout(() => void this.serial(async () => {}), wait);
        this.timer.unref();
      }
    });
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** Plans every period now due; answers how long until the next one. */
  private async planDue(): Promise<number> {
    const now = new Date();
    let next = now.getTime() + LOOK_AGAIN_MS;
    let any = false;
    for (const s of this.subs) {
      if (!s.enabled) continue;
      const sched = parseSchedule(s.schedule, this.d.timeZone);
      if (!sched.ok) continue;
      const since = Math.max(Date.parse(s.updated), this.last.get(s.id) ?? 0);
      const due = latestDue(sched.cron, new Date(since), now);
      if (due) {
        await this.plan(s, periodAt(due, this.d.timeZone));
        this.last.set(s.id, due.getTime());
        any = true;
      }
      const after = nextDue(sched.cron, now);
      if (after) next = Math.min(next, after.getTime());
    }
    if (any) this.d.planned();
    // Timers may fire a little late, never early; the margin keeps an occurrence from being read as not yet due.
    return Math.max(20, next - Date.now() + 20);
  }

  private async plan(s: Subscription, period: Period): Promise<void> {
    if (await periodPlanned(this.d.storage, s.id, period.key)) return;
    const { recipients, withoutAddress } = await recipientsOf(this.d.storage, s, period);
    const base = { subscription: s.id, period: period.key, attempt: 0, messageId: '', error: '' };
    const rows: DeliveryRow[] = [
      { ...base, recipient: '', buyer: '', state: 'period', error: `${recipients.length} recipients` },
      ...recipients.map((r): DeliveryRow => ({ ...base, recipient: r.address, buyer: r.buyer, state: 'planned' })),
      ...withoutAddress.map((b): DeliveryRow => ({ ...base, recipient: '', buyer: b, state: 'skipped', error: 'no address for this buyer: add one to the subscription' })),
    ];
    await recordDeliveries(this.d.storage, rows);
    this.d.log(`e-mail: ${s.id} (${s.report}) planned for ${period.key}: ${recipients.length} recipient${recipients.length === 1 ? '' : 's'}${withoutAddress.length ? `, ${withoutAddress.length} buyer(s) without an address` : ''}`);
  }
}
