/** Groups an append-only follow-up history (newest first) per licence; the first entry is the current status. */
import type { FollowupRow, FollowupStatus } from './api/types.ts';

export function historyByLicence(rows: readonly FollowupRow[]): Map<string, FollowupRow[]> {
  const sorted = [...rows].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
  const out = new Map<string, FollowupRow[]>();
  for (const r of sorted) {
    const list = out.get(r.licence);
    if (list) list.push(r);
    else out.set(r.licence, [r]);
  }
  return out;
}

export const STATUS_TONE: Record<FollowupStatus, 'warn' | 'info' | 'ok' | 'neutral' | 'danger'> = {
  open: 'warn',
  contacted: 'info',
  keep: 'ok',
  reduce: 'info',
  cancel: 'neutral',
};
