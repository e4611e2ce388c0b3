/**
 * The subset of SS12000 2.1 objects the demo emits, shaped exactly as the API returns them
 * (SS12000 v2: Organisation, Person, Group, Duty). Only fields the demo fills are listed.
 */

export interface Ref {
  id: string;
}

export interface Meta {
  created: string;
  modified: string;
}

export interface Ss12000Organisation {
  id: string;
  meta: Meta;
  displayName: string;
  organisationType: 'Huvudman' | 'Skolenhet';
  organisationCode?: string;
  organisationNumber?: string;
  schoolUnitCode?: string;
  schoolTypes?: ('GR' | 'GY')[];
  municipalityCode: string;
  parentOrganisation?: Ref;
  url?: string;
  email?: string;
  address?: { type: 'Besöksadress'; streetAddress: string; locality: string; postalCode: string };
  startDate?: string;
}

export interface Ss12000Enrolment {
  enroledAt: Ref;
  schoolYear: number;
  schoolType: 'GR' | 'GY';
  startDate: string;
  endDate?: string;
  cancelled: boolean;
}

export interface Ss12000Person {
  id: string;
  meta: Meta;
  givenName: string;
  familyName: string;
  eduPersonPrincipalNames: string[];
  civicNo: { value: string; nationality: 'SE' };
  birthDate: string;
  sex: 'Man' | 'Kvinna';
  securityMarking: 'Ingen' | 'Skyddad folkbokföring';
  personStatus: 'Aktiv';
  emails: { value: string; type: 'Skola elev' | 'Skola personal' }[];
  enrolments?: Ss12000Enrolment[];
}

export interface Ss12000Membership {
  person: Ref;
  startDate?: string;
  endDate?: string;
}

export interface Ss12000Group {
  id: string;
  meta: Meta;
  displayName: string;
  groupType: 'Klass' | 'Undervisning';
  schoolType: 'GR' | 'GY';
  startDate: string;
  endDate: string;
  organisation: Ref;
  groupMemberships: Ss12000Membership[];
}

export interface Ss12000Duty {
  id: string;
  meta: Meta;
  person: Ref;
  dutyAt: Ref;
  dutyRole: string;
  signature: string;
  dutyPercent: number;
  startDate: string;
  assignmentRole?: { group: Ref; assignmentRoleType: 'Mentor'; startDate: string }[];
}
