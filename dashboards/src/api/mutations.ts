/** The few writes the dashboard makes, each followed by invalidating what it changes. */
import type { QueryClient } from '@tanstack/react-query';
import { apiDelete, apiPost, apiPut } from './client.ts';
import type { FollowupStatus, Subscription, SubscriptionInput, Target } from './types.ts';

/**
 * Sets a licence's or a product's target (målgrupp); every figure may change with it, so
 * every report is refreshed. The server keeps the old and new target in the audit log.
 */
export async function saveTarget(qc: QueryClient, kind: 'licences' | 'products', id: string, target: Partial<Record<keyof Target, unknown>>) {
  const res = await apiPut<{ warning?: string }>(`/v1/${kind}/${encodeURIComponent(id)}/target`, target);
  // Saved once the API answers: the reports on screen refetch behind it (some, the flags, take
  // seconds), and the form is not held until they are back.
  void qc.invalidateQueries({ queryKey: ['report'] });
  void qc.invalidateQueries({ queryKey: ['products'] });
  return res;
}

/** Sets a licence's own förvaltning ('' clears it); the action list and the buyers' choices change with it. */
export async function saveForvaltning(qc: QueryClient, licence: string, forvaltning: string) {
  const res = await apiPut<unknown>(`/v1/licences/${encodeURIComponent(licence)}/forvaltning`, { forvaltning });
  void qc.invalidateQueries({ queryKey: ['report'] });
  void qc.invalidateQueries({ queryKey: ['buyerList'] });
  return res;
}

export async function saveFollowup(qc: QueryClient, input: { licence: string; status: FollowupStatus; note?: string }) {
  const body = { licence: input.licence, status: input.status, ...(input.note?.trim() ? { note: input.note.trim() } : {}) };
  const res = await apiPost<unknown>('/v1/followups', body);
  // Not awaited: the save is done once the POST answers; the history and the buyers'
  // open counts refresh behind it (the buyers report takes a second or two).
  void qc.invalidateQueries({ queryKey: ['followups'] });
  void qc.invalidateQueries({ queryKey: ['report', 'buyers'] });
  return res;
}

/**
 * Maps an unmapped identifier to a product (existing, or created here). Product
 * resolution happens at query time, so every report changes: invalidate them all.
 */
export async function mapIdentifier(qc: QueryClient, input: { identifier: string; product: string } | { identifier: string; create: { id: string; name: string; supplier?: string } }) {
  if ('product' in input) {
    await apiPost(`/v1/products/${encodeURIComponent(input.product)}/identifiers`, { identifiers: [input.identifier] });
  } else {
    const { id, name, supplier } = input.create;
    await apiPost('/v1/products', { id, name, ...(supplier?.trim() ? { supplier: supplier.trim() } : {}), identifiers: [input.identifier] });
  }
  await Promise.all([qc.invalidateQueries({ queryKey: ['report'] }), qc.invalidateQueries({ queryKey: ['products'] })]);
}

/** Subscriptions: each write refreshes the list (its next times and states). */
export async function saveSubscription(qc: QueryClient, input: SubscriptionInput, id?: string): Promise<Subscription> {
  const res = id ? await apiPut<Subscription>(`/v1/subscriptions/${encodeURIComponent(id)}`, input) : await apiPost<Subscription>('/v1/subscriptions', input);
  await qc.invalidateQueries({ queryKey: ['subscriptions'] });
  return res;
}

export async function deleteSubscription(qc: QueryClient, id: string): Promise<void> {
  await apiDelete(`/v1/subscriptions/${encodeURIComponent(id)}`);
  await qc.invalidateQueries({ queryKey: ['subscriptions'] });
}

export async function sendSubscriptionNow(qc: QueryClient, id: string, to: string): Promise<{ sent: boolean; to: string; buyer?: string }> {
  const res = await apiPost<{ sent: boolean; to: string; buyer?: string }>(`/v1/subscriptions/${encodeURIComponent(id)}/send-now`, { to });
  void qc.invalidateQueries({ queryKey: ['subscriptions'] });
  return res;
}
