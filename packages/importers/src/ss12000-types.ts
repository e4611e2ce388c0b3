/**
 * The SS12000 (2.x) objects Licenskoll's roster import takes, as the SS12000 API returns
 * them. Only the fields the roster uses are typed; everything is optional that a real
 * register's export may lack (Skolverket's reference API is stricter than SIS).
 */

export interface Ss12000Ref {
  id: string;
  displayName?: string;
}

export interface Ss12000Meta {
  created?: string;
  modified?: string;
}

export interface Ss12000Organisation {
  id: string;
  meta?: Ss12000Meta;
  displayName: string;
  organisationType: string;
  organisationCode?: string;
  organisationNumber?: string;
  parentOrganisation?: Ss12000Ref;
  schoolUnitCode?: string;
  schoolTypes?: string[];
  municipalityCode?: string;
  startDate?: string;
  endDate?: string;
  [key: string]: unknown;
}

export interface Ss12000Enrolment {
  enroledAt: Ss12000Ref;
  schoolYear?: number;
  schoolType?: string;
  startDate?: string;
  endDate?: string;
  cancelled?: boolean;
}

export interface Ss12000ExternalIdentifier {
  value: string;
  context: string;
  globallyUnique: boolean;
}

export interface Ss12000Person {
  id: string;
  meta?: Ss12000Meta;
  givenName: string;
  familyName: string;
  middleName?: string;
  eduPersonPrincipalNames?: string[];
  externalIdentifiers?: Ss12000ExternalIdentifier[];
  emails?: { value: string; type?: string }[];
  enrolments?: Ss12000Enrolment[];
  [key: string]: unknown;
}

export interface Ss12000GroupMembership {
  person: Ss12000Ref;
  startDate?: string;
  endDate?: string;
}

export interface Ss12000Group {
  id: string;
  meta?: Ss12000Meta;
  displayName: string;
  groupType: string;
  schoolType?: string;
  startDate?: string;
  endDate?: string;
  organisation: Ss12000Ref;
  groupMemberships?: Ss12000GroupMembership[];
  [key: string]: unknown;
}

export interface Ss12000AssignmentRole {
  group: Ss12000Ref;
  assignmentRoleType: string;
  startDate?: string;
  endDate?: string;
}

export interface Ss12000Duty {
  id: string;
  meta?: Ss12000Meta;
  person?: Ss12000Ref;
  dutyAt: Ss12000Ref;
  dutyRole: string;
  signature?: string;
  startDate?: string;
  endDate?: string;
  assignmentRole?: Ss12000AssignmentRole[];
  [key: string]: unknown;
}

/** What `POST /v1/import/ss12000` takes, and what the OneRoster importer and the SS12000 client produce. */
export interface Ss12000Import {
  organisations: Ss12000Organisation[];
  persons: Ss12000Person[];
  groups: Ss12000Group[];
  duties: Ss12000Duty[];
}
