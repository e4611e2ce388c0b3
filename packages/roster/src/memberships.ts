import { addDays } from '@licenskoll/core';
import { OPEN_END, OPEN_START } from '@licenskoll/storage';

/** A membership as the `memberships` table holds it. */
export interface MembershipRow {
  group_id: string;
  person_key: string;
  mkey: string;
  start: string;
  end: string;
  explicit_start: number;
  explicit_end: number;
  last_seen: string;
}

/** A membership as one import states it: dates only where the register gave them. */
export interface IncomingMembership {
  group_id: string;
  person_key: string;
  start?: string | null;
  end?: string | null;
}

/**
 * The snapshot rules of docs/figures.md (memberships), as a pure function of what is stored and what arrived:
 * - explicit dates in the data always win;
 * - an undated membership that first appears after an earlier import starts on `asOf`
 *   (in the first import it is open);
 * - a membership of an imported group that this import no longer contains is closed on the
 *   day before `asOf`, never deleted. Imports sharing one `asOf` (pages) never close each other.
 * Returns only the rows that change.
 */
export function mergeMemberships(
  existing: MembershipRow[],
  incoming: IncomingMembership[],
  opts: { asOf: string; earlierImportExists: boolean; snapshotGroups: Set<string> },
): MembershipRow[] {
  const { asOf } = opts;
  const byKey = new Map(existing.map((m) => [`${m.group_id}\u0000${m.person_key}\u0000${m.mkey}`, m]));
  const undatedOpen = new Map<string, MembershipRow>();
  for (const m of existing) {
    if (!m.explicit_start && m.end >= asOf) {
      const k = `${m.group_id}\u0000${m.person_key}`;
      const prev = undatedOpen.get(k);
      if (!prev || prev.start < m.start) undatedOpen.set(k, m);
    }
  }
  const touched = new Map<string, MembershipRow>();
  const key = (m: MembershipRow) => `${m.group_id}\u0000${m.person_key}\u0000${m.mkey}`;

  for (const inc of incoming) {
    const pair = `${inc.group_id}\u0000${inc.person_key}`;
    let row: MembershipRow;
    if (inc.start) {
      const mkey = `s${inc.start}`;
      const prev = touched.get(`${pair}\u0000${mkey}`) ?? byKey.get(`${pair}\u0000${mkey}`);
      row = {
        group_id: inc.group_id, person_key: inc.person_key, mkey, start: inc.start,
        end: inc.end ?? OPEN_END, explicit_start: 1, explicit_end: inc.end ? 1 : 0,
        last_seen: prev && prev.last_seen > asOf ? prev.last_seen : asOf,
      };
    } else {
      const prev = undatedOpen.get(pair);
      if (prev) {
        row = {
          ...prev,
          end: inc.end ?? (prev.explicit_end ? prev.end : OPEN_END),
          explicit_end: inc.end ? 1 : prev.explicit_end,
          last_seen: prev.last_seen > asOf ? prev.last_seen : asOf,
        };
      } else {
        const start = opts.earlierImportExists ? asOf : OPEN_START;
        row = {
          group_id: inc.group_id, person_key: inc.person_key, mkey: `u${start}`, start,
          end: inc.end ?? OPEN_END, explicit_start: 0, explicit_end: inc.end ? 1 : 0, last_seen: asOf,
        };
        undatedOpen.set(pair, row);
      }
    }
    touched.set(key(row), row);
  }

  const dayBefore = addDays(asOf, -1);
  for (const m of existing) {
    if (touched.has(key(m))) continue;
    if (!opts.snapshotGroups.has(m.group_id)) continue;
    if (m.last_seen >= asOf || m.explicit_end || m.end <= dayBefore) continue;
    // A membership that began after this snapshot's day ends up empty (end < start): it covers no day.
    touched.set(key(m), { ...m, end: dayBefore });
  }
  return [...touched.values()];
}
