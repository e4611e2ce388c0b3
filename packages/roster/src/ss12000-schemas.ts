import { z } from 'zod';
import { isoDate } from '@licenskoll/core';

/**
 * SS12000 2.0/2.1 objects, as far as Licenskoll reads them. Everything else an SS12000 API
 * returns is accepted and ignored (`loose`), so a 2.1 field or a vendor extension never
 * rejects a row; what we do read is checked and named when wrong.
 */
const id = z.string().trim().min(1, 'must not be empty').max(200);
const ref = z.looseObject({ id });
const optDate = isoDate.nullish();
/**
 * School form and year (SS12000 schoolType, schoolYear): what a target (målgrupp) is matched
 * against. A value out of SS12000's range is dropped, not the row: a wrong year must not cost
 * the person or the group.
 */
const schoolType = z.string().trim().max(20).transform((s) => s.toUpperCase()).nullish().catch(null);
const schoolYear = z.number().int().min(0).max(10).nullish().catch(null);

export const organisationSchema = z.looseObject({
  id,
  displayName: z.string().max(500),
  organisationType: z.string().max(100).nullish(),
  organisationCode: z.string().max(100).nullish(),
  organisationNumber: z.string().max(100).nullish(),
  schoolUnitCode: z.string().max(100).nullish(),
  parentOrganisation: ref.nullish(),
  startDate: optDate,
  endDate: optDate,
});

const membershipOfGroup = z.looseObject({ person: ref, startDate: optDate, endDate: optDate });
export const groupSchema = z.looseObject({
  id,
  displayName: z.string().max(500),
  groupType: z.string().max(100).nullish(),
  schoolType,
  /** Not in SS12000's Group, but some registers add it: used where given. */
  schoolYear,
  startDate: optDate,
  endDate: optDate,
  organisation: ref,
  groupMemberships: z.array(membershipOfGroup).nullish(),
});

const embeddedGroupFragment = z.looseObject({
  id,
  displayName: z.string().max(500).nullish(),
  groupType: z.string().max(100).nullish(),
  schoolType,
  schoolYear,
  startDate: optDate,
  endDate: optDate,
  organisation: ref.nullish(),
});

export const personSchema = z.looseObject({
  id,
  eduPersonPrincipalNames: z.array(z.string().max(500)).nullish(),
  emails: z.array(z.looseObject({ value: z.string().max(500) })).nullish(),
  externalIdentifiers: z.array(z.looseObject({ value: z.string().max(500) })).nullish(),
  enrolments: z
    .array(z.looseObject({ enroledAt: ref, schoolType, schoolYear, startDate: optDate, endDate: optDate, cancelled: z.boolean().nullish() }))
    .nullish(),
  _embedded: z
    .looseObject({
      groupMemberships: z.array(z.looseObject({ group: embeddedGroupFragment, startDate: optDate, endDate: optDate })).nullish(),
    })
    .nullish(),
});

export const dutySchema = z.looseObject({
  id,
  person: ref.nullish(),
  dutyAt: ref,
  dutyRole: z.string().max(200),
  startDate: optDate,
  endDate: optDate,
});

export type Ss12000Organisation = z.infer<typeof organisationSchema>;
export type Ss12000Group = z.infer<typeof groupSchema>;
export type Ss12000Person = z.infer<typeof personSchema>;
export type Ss12000Duty = z.infer<typeof dutySchema>;

/** The body of `POST /v1/import/ss12000`: each kind an array, or an SS12000 page `{data: [...]}`. */
export interface Ss12000Import {
  organisations?: unknown;
  persons?: unknown;
  groups?: unknown;
  duties?: unknown;
  /** SS12000 Activity objects: only `teachers` (duty refs) and `groups` are read, for teachers' groups. */
  activities?: unknown;
}
