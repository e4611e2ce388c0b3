import type { TableSpec } from './ddl.ts';

/** The school register (SS12000 and the like): small, Replacing by version, read with FINAL. */
export const rosterTables: TableSpec[] = [
  {
    name: 'organisations',
    columns: [
      'id String', 'name String', 'type LowCardinality(String)', 'parent String',
      'school_unit_code String', 'organisation_code String', 'organisation_number String', 'start Date', 'end Date', 'version UInt64',
    ],
    engine: 'ReplacingMergeTree(version)',
    orderBy: 'id',
  },
  {
    // Every way a licence scope or a filter may name an organisation node (id, school unit
    // code, organisation code or number), for each node under it. Rebuilt whole after each
    // organisation import: a tree of a few thousand nodes, so a licence scoped to a
    // rektorsområde or the huvudman reaches every school unit below it with one equi-join.
    name: 'org_closure',
    columns: ['unit String', 'ref String', 'depth UInt8'],
    engine: 'MergeTree',
    orderBy: '(ref, unit)',
  },
  {
    name: 'groups',
    // school_type / school_year: the register's (SS12000 Group.schoolType; a schoolYear where a
    // register gives one); '' and -1 when not given. Added later, like the targets.
    columns: [
      'id String', 'name String', 'type LowCardinality(String)', 'unit String', 'start Date', 'end Date', 'version UInt64',
      'school_type LowCardinality(String)', 'school_year Int8 DEFAULT -1',
    ],
    engine: 'ReplacingMergeTree(version)',
    orderBy: 'id',
  },
  {
    // A person under their pseudonymous key only; no names (docs/privacy.md).
    name: 'persons',
    columns: ['person_key String', 'version UInt64'],
    engine: 'ReplacingMergeTree(version)',
    orderBy: 'person_key',
  },
  {
    // Every identifier of a person (id, eppns, e-mails, external ids), pseudonymised after
    // normalising. An event belongs to a person when its user pseudonym is one of these.
    name: 'identities',
    columns: ['ident_key String', 'person_key String', 'version UInt64'],
    engine: 'ReplacingMergeTree(version)',
    orderBy: 'ident_key',
  },
  {
    name: 'enrolments',
    // school_type / school_year: SS12000 Enrolment.schoolType and .schoolYear ('' and -1 when not given).
    columns: [
      'person_key String', 'unit String', 'start Date', 'end Date', 'last_seen Date', 'version UInt64',
      'school_type LowCardinality(String)', 'school_year Int8 DEFAULT -1',
    ],
    engine: 'ReplacingMergeTree(version)',
    orderBy: '(person_key, unit, start)',
  },
  {
    name: 'duties',
    columns: ['id String', 'person_key String', 'unit String', 'role LowCardinality(String)', 'start Date', 'end Date', 'version UInt64'],
    engine: 'ReplacingMergeTree(version)',
    orderBy: 'id',
  },
  {
    // Memberships with validity. `mkey` tells two memberships of one person in one group
    // apart (explicit start date, or the import day an undated one first appeared). A
    // snapshot never deletes: absent memberships get an end (docs/figures.md, memberships).
    name: 'memberships',
    columns: [
      'group_id String', 'person_key String', 'mkey String', 'start Date', 'end Date',
      'explicit_start UInt8', 'explicit_end UInt8', 'last_seen Date', 'version UInt64',
    ],
    engine: 'ReplacingMergeTree(version)',
    orderBy: '(group_id, person_key, mkey)',
  },
  {
    // Which groups a member of staff teaches or mentors: SS12000 Duty.assignmentRole and
    // Activity.teachers, by duty id. Gives a teacher their groups from the roster (no manual
    // setup). Snapshot rule as for memberships: an assignment a later import of the same duty
    // no longer lists ends the day before that import's asOf.
    name: 'duty_assignments',
    columns: [
      'duty_id String', 'group_id String', 'akey String', 'start Date', 'end Date', 'last_seen Date', 'version UInt64',
    ],
    engine: 'ReplacingMergeTree(version)',
    orderBy: '(duty_id, group_id, akey)',
  },
  {
    name: 'roster_imports',
    columns: ['as_of Date', "at DateTime64(3, 'UTC')", 'kinds Array(String)', 'counts String'],
    engine: 'MergeTree',
    orderBy: '(as_of, at)',
  },
];
