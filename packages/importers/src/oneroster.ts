import { type CommonOptions, type ImportInput, isZip, readAll } from './input.ts';
import { type OneRosterTables, collectTables } from './oneroster-files.ts';
import { Mapper } from './oneroster-map.ts';
import { type BatchResult, Tally } from './result.ts';
import { assertKind } from './sniff.ts';
import type { Ss12000Import } from './ss12000-types.ts';

export { parseUserIds, schoolOfGrades } from './oneroster-values.ts';

export interface OneRosterOptions extends CommonOptions {
  /**
   * OneRoster end dates are exclusive (enrollments, academicSessions: the first day no
   * longer covered); SS12000's are inclusive. Default true: the day before is written.
   * Set false for an export known to write the last day itself.
   */
  endDatesExclusive?: boolean;
}

/** A zip, one CSV, or several CSVs by file name (`{"users.csv": …, "orgs.csv": …}`). */
export type OneRosterInput = ImportInput | Record<string, string | Uint8Array>;

export interface OneRosterMeta {
  /** From manifest.csv, else guessed from the users.csv columns. */
  version: string;
  /**
   * `bulk`: a full snapshot (what the roster import assumes). `delta`: only changes; records
   * missing from it must not be read as having left. `unknown`: no manifest.
   */
  mode: 'bulk' | 'delta' | 'mixed' | 'unknown';
  tables: string[];
}

export type OneRosterResult = BatchResult<Ss12000Import> & { meta: OneRosterMeta };

function isFileMap(x: OneRosterInput): x is Record<string, string | Uint8Array> {
  return typeof x === 'object' && !(x instanceof Uint8Array) && !(x instanceof ArrayBuffer) && !(Symbol.asyncIterator in x);
}

function manifestInfo(t: OneRosterTables): { version?: string; modes: string[] } {
  const props = new Map<string, string>();
  for (const r of t.manifest?.rows ?? []) props.set(r.get('propertyName'), r.get('value'));
  const modes = [...props.entries()].filter(([k, v]) => k.startsWith('file.') && v !== 'absent').map(([, v]) => v.toLowerCase());
  return { version: props.get('oneroster.version'), modes };
}

/**
 * OneRoster 1.1/1.2 CSV (a zip, or single files) → the SS12000 import object, shaped as the
 * SS12000 API returns it: orgs → organisations (district → Huvudman, school → Skolenhet),
 * users → persons (username / email / userIds as eppn, e-mails, external identifiers),
 * student roles → enrolments, staff roles → duties (principal/administrator at a school →
 * Rektor, teacher → Lärare), classes → groups (homeroom → Klass, else Undervisning) with the
 * students of enrollments.csv as memberships, homeroom teachers as Mentor assignments.
 */
export async function parseOneRoster(input: OneRosterInput, opts: OneRosterOptions = {}): Promise<OneRosterResult> {
  const tally = new Tally(opts.maxRejections);
  let tables: OneRosterTables;
  if (isFileMap(input)) {
    const files = Object.fromEntries(Object.entries(input).map(([k, v]) => [k, typeof v === 'string' ? Buffer.from(v, 'utf8') : v]));
    tables = collectTables({ files }, tally);
  } else {
    const bytes = await readAll(input);
    if (isZip(bytes)) tables = collectTables({ zip: bytes }, tally);
    else {
      assertKind(bytes.subarray(0, 64 * 1024), 'oneroster', opts.fileName);
      tables = collectTables({ files: { [opts.fileName ?? 'upload.csv']: bytes } }, tally);
    }
  }
  const manifest = manifestInfo(tables);
  const usersHeaders = (tables.users?.headers ?? []).map((h) => h.toLowerCase());
  const version = manifest.version ?? (usersHeaders.includes('role') && usersHeaders.includes('orgsourcedids') ? '1.1' : '1.2');
  const modes = new Set(manifest.modes);
  const mode: OneRosterMeta['mode'] = modes.size === 0 ? 'unknown' : modes.size > 1 ? 'mixed' : (modes.values().next().value as 'bulk' | 'delta');
  if (mode === 'delta' || mode === 'mixed') tally.note('delta files: records absent from this import have not left; import them as changes, not as a snapshot');

  const m = new Mapper(tables, tally, opts.endDatesExclusive ?? true);
  m.academicSessions();
  m.organisations();
  const legacyRoles = m.users(version);
  tally.stats.kept += m.persons.size;
  const roleRows = tables.roles ? m.roles() : legacyRoles;
  if (!tables.roles && version.startsWith('1.2') && tables.users) tally.note('roles.csv absent: no duties, and enrolments only from classes');
  m.applyRoles(roleRows, tables.roles !== undefined);
  m.classes();
  m.enrollments();
  m.enrolFromClasses();
  const present = Object.keys(tables);
  if (present.length === 0) tally.note('no OneRoster table found (orgs.csv, users.csv, roles.csv, classes.csv, enrollments.csv…)');
  return { ...tally.batch('oneroster', 'roster', [m.result()]), meta: { version, mode, tables: present } };
}
