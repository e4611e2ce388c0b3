/**
 * The SS12000 organisation records every scenario starts from: an organiser (huvudman) and its
 * school units. `meta` is the record's created/modified pair, which scenarios date to their year.
 */
export interface Meta {
  created: string;
  modified: string;
}

export const huvudman = (id: string, meta: Meta, displayName: string, organisationNumber: string) =>
  ({ id, meta, displayName, organisationType: 'Huvudman', organisationNumber });

export const skolenhet = (id: string, meta: Meta, displayName: string, schoolUnitCode: string, parent: string) =>
  ({ id, meta, displayName, organisationType: 'Skolenhet', schoolUnitCode, parentOrganisation: { id: parent } });
