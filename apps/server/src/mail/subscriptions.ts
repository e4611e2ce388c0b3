import { randomUUID } from 'node:crypto';
import { chTime } from '@licenskoll/core';
import { nextVersion, queryRows, type Storage } from '@licenskoll/storage';
import type { SubscriptionSpec } from './subscription-input.ts';

/** A subscription as stored: what the admin defined, its id, and when it was made and last changed. */
export interface Subscription extends SubscriptionSpec {
  id: string;
  created: string;
  updated: string;
}

const ISO = `'%Y-%m-%dT%H:%i:%S.%fZ'`;

export async function listSubscriptions(storage: Storage, ids?: string[]): Promise<Subscription[]> {
  const rows = await queryRows<{ id: string; spec: string; created: string; updated: string }>(
    storage.read,
    `SELECT id, spec, formatDateTime(created, ${ISO}, 'UTC') AS created, formatDateTime(updated, ${ISO}, 'UTC') AS updated
     FROM mail_subscriptions FINAL WHERE deleted = 0 AND (empty({ids:Array(String)}) OR has({ids:Array(String)}, id)) ORDER BY created, id`,
    { ids: ids ?? [] },
  );
  return rows.map((r) => ({ ...(JSON.parse(r.spec) as SubscriptionSpec), id: r.id, created: r.created, updated: r.updated }));
}

export async function getSubscription(storage: Storage, id: string): Promise<Subscription | undefined> {
  return (await listSubscriptions(storage, [id]))[0];
}

async function write(storage: Storage, s: Subscription, deleted: 0 | 1): Promise<void> {
  const { id, created, updated, ...spec } = s;
  await storage.write.insert({
    table: 'mail_subscriptions',
    values: [{ id, name: spec.name, spec: JSON.stringify(spec), enabled: spec.enabled ? 1 : 0, created: chTime(new Date(created)), updated: chTime(new Date(updated)), deleted, version: nextVersion() }],
    format: 'JSONEachRow',
  });
}

export async function createSubscription(storage: Storage, spec: SubscriptionSpec): Promise<Subscription> {
  const now = new Date().toISOString();
  const s: Subscription = { ...spec, id: `sub-${randomUUID().slice(0, 8)}`, created: now, updated: now };
  await write(storage, s, 0);
  return s;
}

/** Replaces what the admin defined; `updated` restarts the schedule's count (an old occurrence of a new schedule is not due). */
export async function replaceSubscription(storage: Storage, old: Subscription, spec: SubscriptionSpec): Promise<Subscription> {
  const s: Subscription = { ...spec, id: old.id, created: old.created, updated: new Date().toISOString() };
  await write(storage, s, 0);
  return s;
}

export async function deleteSubscription(storage: Storage, s: Subscription): Promise<void> {
  await write(storage, { ...s, updated: new Date().toISOString() }, 1);
}
