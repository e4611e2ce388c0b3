/**
 * A small organiser for the tenant tests, made twice with different tags (ALFA, BETA): one
 * school unit with one class of 6 pupils and a teacher, a principal, two products, two
 * licences, a follow-up with a note and a subscription. Every id, code, name and note
 * carries the tag, so that a byte of one organiser in an answer to the other is found by
 * looking for the tag's markers (`markers`).
 *
 * One pupil's e-mail (`SHARED_EMAIL`) is the same at both: the pseudonym test.
 */
import { huvudman, skolenhet } from '../helpers/ss12000-records.ts';
export type Tag = 'ALFA' | 'BETA';

export const SHARED_EMAIL = 'delad.elev@skolor.example.se';
export const WINDOW = 'from=2026-08-01&to=2026-11-28';
export const TODAY = '2026-11-28';

const meta = { created: '2026-06-01T08:00:00+02:00', modified: '2026-08-01T08:00:00+02:00' };

export function organiserFixture(tag: Tag) {
  const d = tag === 'ALFA' ? 'a' : 'b';
  const uuid = (kind: string, n: number) => `${kind}${d}000000-0000-4000-8000-${String(n).padStart(12, '0')}`.slice(0, 36);
  const id = {
    org: uuid('e', 1), school: uuid('e', 2), group: uuid('f', 3), principal: uuid('d', 4), teacher: uuid('d', 5),
    pupils: [11, 12, 13, 14, 15, 16].map((n) => uuid('c', n)),
  };
  const code = tag === 'ALFA' ? '41000001' : '42000001';
  const email = (i: number) => (i === 0 ? SHARED_EMAIL : `elev${i}.${tag.toLowerCase()}@skolor.example.se`);
  const staffEmail = { principal: `rektor.${tag.toLowerCase()}@skolor.example.se`, teacher: `larare.${tag.toLowerCase()}@skolor.example.se` };
  const person = (pid: string, e: string, enrol: boolean) => ({
    id: pid, meta, givenName: 'Namn', familyName: 'Exempel', eduPersonPrincipalNames: [e],
    ...(enrol ? { enrolments: [{ enroledAt: { id: id.school }, schoolYear: 7, schoolType: 'GR', startDate: '2026-08-15' }] } : {}),
  });
  const roster = {
    organisations: [
      huvudman(id.org, meta, `${tag} kommun`, tag === 'ALFA' ? '2120000011' : '2120000022'),
      skolenhet(id.school, meta, `${tag}skolan`, code, id.org),
    ],
    persons: [
      ...id.pupils.map((p, i) => person(p, email(i), true)),
      person(id.principal, staffEmail.principal, false),
      person(id.teacher, staffEmail.teacher, false),
    ],
    groups: [{
      id: id.group, meta, displayName: `7${tag}`, groupType: 'Klass', schoolType: 'GR', startDate: '2026-08-15', endDate: '2027-06-15',
      organisation: { id: id.school }, groupMemberships: id.pupils.map((m) => ({ person: { id: m } })),
    }],
    duties: [
      { id: `duty-rektor-${tag}`, meta, person: { id: id.principal }, dutyAt: { id: id.school }, dutyRole: 'Rektor', startDate: '2020-08-01' },
      {
        id: `duty-larare-${tag}`, meta, person: { id: id.teacher }, dutyAt: { id: id.school }, dutyRole: 'Lärare', startDate: '2020-08-01',
        assignmentRole: [{ group: { id: id.group }, assignmentRoleType: 'Mentor', startDate: '2026-08-15' }],
      },
    ],
  };
  const host = `${tag.toLowerCase()}-matte.example`;
  const products = [
    { id: `${tag}-MATTE`, name: `${tag} Matte`, supplier: `${tag} Förlag`, identifiers: [`https://${host}/shibboleth`] },
    { id: `${tag}-ENG`, name: `${tag} English`, identifiers: [`${tag.toLowerCase()}-eng.example`] },
  ];
  const base = { start: '2026-08-01', end: '2027-07-31', audience: 'students', currency: 'SEK' };
  const licences = [
    { ...base, id: `${tag}-L1`, product: `${tag}-MATTE`, seats: 10, scope: { type: 'school', ids: [code] }, price: tag === 'ALFA' ? 2000 : 3000, buyer: `Rektor ${tag}skolan` },
    { ...base, id: `${tag}-L2`, product: `${tag}-ENG`, seats: 30, scope: { type: 'organisation', ids: [id.org] }, price: tag === 'ALFA' ? 5000 : 7000, buyer: `Förvaltning ${tag}` },
  ];
  let n = 0;
  // Five of the six pupils use the maths product (ALFA) or all six (BETA): the region sees 5 and 6.
  const users = tag === 'ALFA' ? 5 : 6;
  const events = id.pupils.slice(0, users).map((_, i) => ({
    id: `${tag}-ev-${++n}`, type: 'login', time: '2026-10-05T10:00:00+02:00', user: email(i), product: `https://${host}/shibboleth`,
  }));
  const followupNote = `${tag}-anteckning om förnyelse`;
  const subscription = { name: `${tag} prenumeration`, report: 'renewals', format: 'xlsx', lang: 'sv', params: { within: 60 }, schedule: '0 7 * * 1', recipients: { kind: 'addresses', addresses: [`inkop@${tag.toLowerCase()}.example.se`] } };
  /** Strings that must never appear in an answer to the other organiser. */
  const markers = [
    tag, tag.toLowerCase(), code, id.org, id.school, id.group, id.principal, id.teacher, ...id.pupils, ...licences.map((l) => l.id),
    ...products.map((p) => p.id), followupNote, host,
  ];
  return { tag, id, code, email, staffEmail, roster, products, licences, events, followupNote, subscription, markers };
}
export type OrganiserFixture = ReturnType<typeof organiserFixture>;
