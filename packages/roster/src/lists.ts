import { answerDate, queryRows, type Storage } from '@licenskoll/storage';

/** An organisation as the dashboard's filters list it (roster ids are text, '' when absent). */
export interface OrganisationRow {
  id: string;
  name: string;
  type: string;
  schoolUnitCode: string;
  organisationCode: string;
  parent: string;
}

/** The organisations, the organiser first; `only` limits them to some ids (null: all). */
export function listOrganisations(storage: Storage, only: string[] | null): Promise<OrganisationRow[]> {
  return queryRows<OrganisationRow>(
    storage.read,
    `SELECT id, name, type, school_unit_code AS schoolUnitCode, organisation_code AS organisationCode, parent
     FROM organisations FINAL WHERE {all:Bool} OR has({only:Array(String)}, id) ORDER BY type != 'Huvudman', name`,
    { all: only === null, only: only ?? [] },
  );
}

export interface GroupRow {
  id: string;
  name: string;
  type: string;
  school: string;
  start: string | null;
  end: string | null;
  /** The school unit is not in the store (an SS12000 file that named a unit it did not deliver). */
  unresolved: boolean;
}

/** Groups by name, of some school units and some group ids (null: all of them). */
export function listGroups(storage: Storage, o: { units: string[] | null; groups: string[] | null }): Promise<GroupRow[]> {
  return queryRows<GroupRow>(
    storage.read,
    `SELECT id, name, type, unit AS school, ${answerDate('start')} AS start, ${answerDate('end')} AS end,
            toBool(unit NOT IN (SELECT id FROM organisations FINAL)) AS unresolved FROM groups FINAL
     WHERE ({allUnits:Bool} OR has({units:Array(String)}, unit)) AND ({allGroups:Bool} OR has({groups:Array(String)}, id))
     ORDER BY name`,
    { allUnits: o.units === null, units: o.units ?? [], allGroups: o.groups === null, groups: o.groups ?? [] },
  );
}
