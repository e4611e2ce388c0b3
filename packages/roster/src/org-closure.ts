import { queryRows, type Storage } from '@licenskoll/storage';

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

export async function rebuildOrgClosure(storage: Storage): Promise<void> {
  const nodes = await queryRows<OrgNode>(
    storage.write,
    'SELECT id, parent, school_unit_code, organisation_code, organisation_number FROM organisations FINAL',
  );
  const rows = closureRows(nodes);
  await storage.write.command({ query: 'TRUNCATE TABLE IF EXISTS org_closure' });
  for (let i = 0; i < rows.length; i += 50_000) {
    await storage.write.insert({ table: 'org_closure', values: rows.slice(i, i + 50_000), format: 'JSONEachRow' });
  }
}
