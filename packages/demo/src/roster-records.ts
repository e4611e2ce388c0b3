import { addDays, minDate } from '@licenskoll/core';
import type { SchoolYear } from './calendar.ts';
import { loginSlug } from './names.ts';
import type { Random } from './random.ts';
import { DOMAIN, UNIT_PLANS, type Move, type Person, type Unit } from './roster-model.ts';
import type { Meta, Ss12000Enrolment, Ss12000Organisation, Ss12000Person } from './ss12000.ts';

/** The roster as a school register sends it: SS12000 organisations and persons. */

/** Registers stamp `meta`; the demo keeps it plausible and never after the snapshot day. */
export function metaOf(created: string, modified: string, today: string): Meta {
  const m = minDate(modified, today);
  return { created: `${minDate(created, m)}T05:12:40Z`, modified: `${m}T04:30:12Z` };
}

export function organisationsOf(sy: SchoolYear, today: string, organiserId: string, units: Unit[]): Ss12000Organisation[] {
  const modified = addDays(sy.start, 5);
  return [
    {
      id: organiserId,
      meta: metaOf('2018-03-01', modified, today),
      displayName: 'Exempelstads kommun',
      organisationType: 'Huvudman',
      organisationNumber: '2120009999',
      municipalityCode: '9999',
      url: `https://www.${DOMAIN}`,
      email: `kommun@${DOMAIN}`,
    },
    ...units.map((u): Ss12000Organisation => {
      const plan = UNIT_PLANS[u.idx];
      const slug = loginSlug(u.name.replace(/ /g, '-'));
      return {
        id: u.id,
        meta: metaOf('2018-03-01', modified, today),
        displayName: u.name,
        organisationType: 'Skolenhet',
        organisationCode: u.code,
        schoolUnitCode: u.schoolUnitCode,
        schoolTypes: [u.schoolType],
        municipalityCode: '9999',
        parentOrganisation: { id: organiserId },
        url: `https://www.${DOMAIN}/${slug}`,
        email: `${slug}@${DOMAIN}`,
        address: { type: 'Besöksadress', streetAddress: plan.street, locality: 'Exempelstad', postalCode: `999 ${String(10 + u.idx * 3)}` },
        startDate: `${1962 + u.idx * 4}-07-01`,
      };
    }),
  ];
}

export function personOf(
  rnd: Random, sy: SchoolYear, today: string, p: Person, units: Unit[], moves: Move[],
): Ss12000Person {
  const startYear = Number(sy.start.slice(0, 4));
  const birthYear = p.kind === 'staff'
    ? rnd.int(1962, 1998)
    : startYear - 6 - (p.schoolType === 'GY' ? 9 + p.grade : p.grade);
  const birthDate = `${birthYear}-${String(rnd.int(1, 12)).padStart(2, '0')}-${String(rnd.int(1, 28)).padStart(2, '0')}`;
  const move = moves.find((m) => m.person === p.idx);
  const out: Ss12000Person = {
    id: p.id,
    meta: metaOf(`${startYear - (p.kind === 'staff' ? 4 : p.grade - 1)}-08-10`, move?.date ?? addDays(sy.termStart, -4), today),
    givenName: p.given,
    familyName: p.family,
    eduPersonPrincipalNames: [p.eppn],
    // "TF" marks a temporary number (Skatteverket's temporary civic numbers): synthetic, never a real person's.
    civicNo: { value: `${birthDate.replace(/-/g, '')}TF${rnd.digits(2)}`, nationality: 'SE' },
    birthDate,
    sex: p.female ? 'Kvinna' : 'Man',
    securityMarking: rnd.chance(0.004) ? 'Skyddad folkbokföring' : 'Ingen',
    personStatus: 'Aktiv',
    emails: [{ value: p.email, type: p.kind === 'pupil' ? 'Skola elev' : 'Skola personal' }],
  };
  if (p.kind === 'pupil') {
    const enrolments: Ss12000Enrolment[] = [];
    p.segments.forEach((s, i) => {
      const prev = enrolments[enrolments.length - 1];
      if (prev && prev.enroledAt.id === units[s.unit].id) return;
      if (prev) prev.endDate = addDays(s.from, -1);
      enrolments.push({
        enroledAt: { id: units[s.unit].id },
        schoolYear: p.grade,
        schoolType: p.schoolType,
        startDate: i === 0 ? sy.termStart : s.from,
        cancelled: false,
      });
    });
    out.enrolments = enrolments;
  }
  return out;
}
