import { randomBytes } from 'node:crypto';
import { createTable, queryRows, tables, type Storage } from '@licenskoll/storage';

interface OrgNode {
  id: string;
  parent: string;
  school_unit_code: string;
  organisation_code: string;
  organisation_number: string;
}

/** (unit, ref) for every node and every name of itself and its ancestors. Cycles in bad data stop the walk. */
export function closureRows(nodes: OrgNode[]): { unit: string; ref: string; depth: number }[] {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const rows: { unit: string; ref: string; depth: number }[] = [];
  for (const n of nodes) {
    const seen = new Set<string>();
    let cur: OrgNode | undefined = n;
    let depth = 0;
    while (cur && !seen.has(cur.id)) {
      seen.add(cur.id);
      for (const ref of new Set([cur.id, cur.school_unit_code, cur.organisation_code, cur.organisation_number])) {
        if (ref) rows.push({ unit: n.id, ref, depth });
      }
      // The root (the huvudman) also answers to `*` and `organisation`: what an importer writes
      // for an organisation-wide licence when the order names no organisation number (BOL).
      if (!cur.parent || !byId.has(cur.parent)) {
        for (const ref of ['*', 'organisation']) rows.push({ unit: n.id, ref, depth });
        // A parent the register did not export (a huvudman outside the import) is still a name of this branch.
        if (cur.parent) rows.push({ unit: n.id, ref: cur.parent, depth: depth + 1 });
      }
      cur = cur.parent ? byId.get(cur.parent) : undefined;
      depth++;
    }
  }
  return rows;
}

/**
 * Builds the closure beside the one reports read, then exchanges the two in one step: a report
 * during an organisation import sees the old tree or the new one, never an empty or half-filled
 * table that would give wrong figures that look real. Each build has a table of its own, so two
 * imports at once cannot fill each other's. On a cluster every replica has the new rows before
 * the exchange (docs/scaling.md).
 */
export async function rebuildOrgClosure(storage: Storage): Promise<void> {
  const nodes = await queryRows<OrgNode>(
    storage.write,
    'SELECT id, parent, school_unit_code, organisation_code, organisation_number FROM organisations FINAL',
  );
  const rows = closureRows(nodes);
  const ctx = { database: storage.database, cluster: storage.cluster };
  const on = ctx.cluster ? ` ON CLUSTER ${ctx.cluster}` : '';
  const spec = tables({ retentionMonths: 1 }).find((t) => t.name === 'org_closure')!;
  await dropAbandonedBuilds(storage, on);
  const next = `org_closure_build_${Date.now()}_${randomBytes(4).toString('hex')}`;
  for (const query of createTable({ ...spec, name: next }, ctx)) await storage.write.command({ query });
  try {
    for (let i = 0; i < rows.length; i += 50_000) {
      await storage.write.insert({ table: next, values: rows.slice(i, i + 50_000), format: 'JSONEachRow' });
    }
    if (ctx.cluster) await storage.write.command({ query: `SYSTEM SYNC REPLICA ${next}${on}` });
    await storage.write.command({ query: `EXCHANGE TABLES org_closure AND ${next}${on}` });
    // The new table's block numbers start again, so the resolution cache cannot tell an exchange
    // from the parts alone: each exchange leaves a mark it hashes with the closure's content.
    await storage.write.insert({ table: 'settings', values: [{ key: 'org_closure_build', value: next, version: Date.now() }], format: 'JSONEachRow' });
  } finally {
    // After the exchange this is the old closure; before it, the unfinished new one.
    await storage.write.command({ query: `DROP TABLE IF EXISTS ${next}${on} SYNC` });
  }
}

/** A build a crash left behind; an hour is far beyond any build, so none still being filled is taken. */
async function dropAbandonedBuilds(storage: Storage, on: string): Promise<void> {
  const left = await queryRows<{ name: string }>(
    storage.write,
    `SELECT name FROM system.tables WHERE database = currentDatabase() AND match(name, '^org_closure_build_[0-9]+_[0-9a-f]+$')`,
  );
  const hourAgo = Date.now() - 3_600_000;
  for (const { name } of left) {
    if (Number(name.split('_')[3]) < hourAgo) await storage.write.command({ query: `DROP TABLE IF EXISTS ${name}${on} SYNC` });
  }
}
