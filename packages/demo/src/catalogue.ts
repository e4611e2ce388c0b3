import { addDays, monthStart, type LicenceInput, type ProductInput } from '@licenskoll/core';
import type { SchoolYear } from './calendar.ts';
import { Random } from './random.ts';
import type { Group, Person, Roster, SchoolType, Subject, Unit } from './roster-model.ts';

/** How a source names a product: each kind arrives through its own channel (see usage.ts). */
export type IdentifierKind = 'saml' | 'lti' | 'entra' | 'host';

export interface Band {
  type: SchoolType;
  min: number;
  max: number;
}

/** A product as usage sees it: the catalogue's, plus the unknown ones that stay unmapped. */
export interface UsageProduct {
  id: string;
  identifiers: { kind: IdentifierKind; value: string }[];
  bands: Band[];
}

/**
 * How much a licence is used. `heavy` fills its seats, `under` leaves most empty, `never`
 * has no event at all; `fading` is used like `normal` until most of its pupils stop about a
 * month before today (a falling licence, figure 23); `broad` and `sparse` suit unlimited organisation-wide services where
 * many pupils dip in rarely.
 */
export type Level = 'heavy' | 'normal' | 'under' | 'broad' | 'sparse' | 'never' | 'fading';

/** A licence (or, for free and unmapped products, a pretend one) as usage needs it. */
export interface UsagePlan {
  key: string;
  product: number;
  scope: 'organisation' | 'school' | 'group';
  units: Set<number>;
  /** An organisation-wide licence used only at `units` (a concentrated licence, figure 22). */
  onlyUnits?: boolean;
  groups: Set<number>;
  audience: 'students' | 'staff' | 'all';
  level: Level;
}

const GR = (min: number, max: number): Band => ({ type: 'GR', min, max });
const GY: Band = { type: 'GY', min: 1, max: 3 };
const ALL: Band[] = [GR(1, 9), GY];

interface ProductSpec {
  id: string;
  name: string;
  supplier: string;
  bands: Band[];
  /** The subject (ämne) of a material for one subject: what makes two products overlap (figure 25). */
  subject?: string;
  /** `null` for an Entra appId: a UUID drawn from the seed. */
  identifiers: [IdentifierKind, string | null][];
}

const PRODUCTS: ProductSpec[] = [
  { id: 'gleerups-matematik-1-3', name: 'Gleerups Matematik 1–3 digital', supplier: 'Gleerups', subject: 'Matematik', bands: [GR(1, 3)], identifiers: [['saml', 'https://sp.gleerups.se/shibboleth'], ['host', 'matte13.gleerups.se']] },
  { id: 'gleerups-biologi-7-9', name: 'Gleerups Biologi 7–9 digital', supplier: 'Gleerups', subject: 'Biologi', bands: [GR(7, 9)], identifiers: [['lti', 'gleerups-bio79-lti'], ['host', 'bio79.gleerups.se']] },
  { id: 'gleerups-samhallskunskap-1b', name: 'Samhällskunskap 1b digital', supplier: 'Gleerups', subject: 'Samhällskunskap', bands: [GY], identifiers: [['saml', 'https://sp2.gleerups.se/shibboleth/sh1b'], ['entra', null]] },
  { id: 'gleerups-engelska-4-6', name: 'Gleerups Engelska 4–6 digital', supplier: 'Gleerups', subject: 'Engelska', bands: [GR(4, 6)], identifiers: [['host', 'eng46.gleerups.se']] },
  { id: 'gleerups-historia-1b', name: 'Historia 1b digital', supplier: 'Gleerups', subject: 'Historia', bands: [GY], identifiers: [['lti', 'gleerups-hi1b-lti'], ['host', 'hi1b.gleerups.se']] },
  { id: 'liber-matematik-5000-1c', name: 'Matematik 5000+ 1c digital', supplier: 'Liber', subject: 'Matematik', bands: [GY], identifiers: [['entra', null], ['host', 'onlinebok.liber.se']] },
  { id: 'liber-sprakvag-spanska', name: 'Språkväg Spanska 7–9 digital', supplier: 'Liber', subject: 'Moderna språk', bands: [GR(7, 9)], identifiers: [['lti', 'liber-sprakvag-sp'], ['host', 'sprakvag.liber.se']] },
  { id: 'liber-fysik-7-9', name: 'Liber Fysik 7–9 digital', supplier: 'Liber', subject: 'Fysik', bands: [GR(7, 9)], identifiers: [['saml', 'https://login.liber.se/saml/fysik79']] },
  { id: 'liber-lasforstaelse-4-6', name: 'Läsförståelse 4–6 digital', supplier: 'Liber', subject: 'Svenska', bands: [GR(4, 6)], identifiers: [['host', 'lasforstaelse.liber.se']] },
  { id: 'liber-deutsch-gy', name: 'Deutsch digital (gymnasiet)', supplier: 'Liber', subject: 'Moderna språk', bands: [GY], identifiers: [['host', 'deutsch.liber.se'], ['lti', 'liber-deutsch-lti']] },
  { id: 'ne-uppslagsverk', name: 'NE Uppslagsverk och ordböcker', supplier: 'NE', bands: ALL, identifiers: [['saml', 'https://sp.ne.se/saml2'], ['host', 'www.ne.se'], ['entra', null]] },
  { id: 'ne-engelska-7-9', name: 'NE Engelska 7–9', supplier: 'NE', subject: 'Engelska', bands: [GR(7, 9)], identifiers: [['lti', 'ne-engelska-79'], ['host', 'engelska.ne.se']] },
  { id: 'nok-digilar-matematik-4-6', name: 'Digilär Matematik 4–6', supplier: 'Natur & Kultur', subject: 'Matematik', bands: [GR(4, 6)], identifiers: [['lti', 'nok-digilar-ma46'], ['host', 'ma46.digilar.se']] },
  { id: 'nok-digilar-kemi-7-9', name: 'Digilär Kemi 7–9', supplier: 'Natur & Kultur', subject: 'Kemi', bands: [GR(7, 9)], identifiers: [['lti', 'nok-digilar-ke79'], ['host', 'ke79.digilar.se']] },
  { id: 'nok-svenska-impulser-1', name: 'Svenska Impulser 1 digital', supplier: 'Natur & Kultur', subject: 'Svenska', bands: [GY], identifiers: [['saml', 'https://sp.nok.se/shibboleth']] },
  { id: 'nok-magic-4-6', name: 'Magic! Engelska 4–6 digital', supplier: 'Natur & Kultur', subject: 'Engelska', bands: [GR(4, 6)], identifiers: [['lti', 'nok-magic-46'], ['host', 'magic46.digilar.se']] },
  { id: 'sanoma-matte-direkt-7-9', name: 'Matte Direkt 7–9 digital', supplier: 'Sanoma Utbildning', subject: 'Matematik', bands: [GR(7, 9)], identifiers: [['saml', 'https://sp.sanomautbildning.se/shibboleth'], ['lti', 'sanoma-md79-lti'], ['host', 'mattedirekt.sanomautbildning.se']] },
  { id: 'sanoma-mondo-so-4-6', name: 'Mondo SO 4–6 digital', supplier: 'Sanoma Utbildning', subject: 'Samhällskunskap', bands: [GR(4, 6)], identifiers: [['host', 'mondo.sanomautbildning.se'], ['entra', null]] },
  { id: 'sanoma-spektrum-biologi', name: 'Spektrum Biologi digital', supplier: 'Sanoma Utbildning', subject: 'Biologi', bands: [GR(7, 9)], identifiers: [['lti', 'sanoma-spektrum-bio']] },
  { id: 'sanoma-kemi-1', name: 'Kemi 1 digital (gymnasiet)', supplier: 'Sanoma Utbildning', subject: 'Kemi', bands: [GY], identifiers: [['host', 'kemi1.sanomautbildning.se']] },
  { id: 'sanoma-safari-svenska-1-3', name: 'Safari Svenska 1–3 digital', supplier: 'Sanoma Utbildning', subject: 'Svenska', bands: [GR(1, 3)], identifiers: [['host', 'safari.sanomautbildning.se']] },
  { id: 'studi', name: 'Studi', supplier: 'Studi', bands: [GR(4, 9), GY], identifiers: [['entra', null], ['host', 'studi.se']] },
  { id: 'binogi', name: 'Binogi', supplier: 'Binogi', bands: [GR(4, 9)], identifiers: [['saml', 'https://app.binogi.se/saml/metadata'], ['host', 'app.binogi.se']] },
  { id: 'inlast-laromedel', name: 'Inlästa läromedel', supplier: 'Inläsningstjänst', bands: ALL, identifiers: [['host', 'app.inlasningstjanst.se'], ['entra', null]] },
  { id: 'lexia-lasstod', name: 'Lexia Läs- och skrivstöd', supplier: 'Lexia', bands: ALL, identifiers: [['entra', null], ['host', 'lasstod.lexia.se']] },
  { id: 'nomp-matematik', name: 'Nomp Matematik', supplier: 'Nomp', subject: 'Matematik', bands: [GR(1, 6)], identifiers: [['host', 'nomp.se'], ['saml', 'https://nomp.se/saml/sp']] },
  { id: 'clio-samhallskunskap', name: 'Clio Samhällskunskap 7–9', supplier: 'Clio', subject: 'Samhällskunskap', bands: [GR(7, 9)], identifiers: [['lti', 'clio-sam-79'], ['host', 'sam79.clio.se']] },
  { id: 'ugglo-engelska-f-3', name: 'Ugglo Engelska F–3', supplier: 'Ugglo', subject: 'Engelska', bands: [GR(1, 3)], identifiers: [['host', 'ugglo.se']] },
  { id: 'elevspel', name: 'Elevspel', supplier: 'Elevspel', bands: [GR(1, 9)], identifiers: [['host', 'www.elevspel.se']] },
];

/** Identifiers no product claims: their events must surface as unmapped. */
const UNMAPPED: ProductSpec[] = [
  { id: '(unmapped) glosmastaren', name: '', supplier: '', bands: [GR(7, 9)], identifiers: [['saml', 'https://sso.glosmastaren.se/saml/sp']] },
  { id: '(unmapped) kodstugan', name: '', supplier: '', bands: [GY], identifiers: [['host', 'app.kodstugan.se']] },
  { id: '(unmapped) entra app', name: '', supplier: '', bands: ALL, identifiers: [['entra', null]] },
];

type Buyer = 'central' | 'samordnare' | 'it' | 'rektor' | { team: string };

interface LicenceTemplate {
  product: string;
  /** `schoolEach`: one licence per chosen unit, as when each principal buys for their own school. */
  scope: 'organisation' | 'school' | 'schoolEach' | 'group';
  /** How many matching units to choose (school scopes); all when absent. */
  units?: number;
  groups?: { kind: 'Klass' | 'Undervisning'; subject?: Subject; programmes?: string[]; grades?: number[]; units?: number };
  audience: 'students' | 'staff' | 'all';
  /** An organisation-wide licence that only this many of its schools took up (a concentrated licence, figure 22). */
  usedAt?: number;
  /** Cycled over the licences of a `schoolEach` template. */
  levels: Level[];
  seats: 'fit' | 'unlimited' | number;
  /** SEK per seat and year. */
  perSeat?: number;
  /** SEK for an unlimited licence. */
  flat?: number;
  period: 'schoolYear' | 'endingSoon' | 'multiYear';
  buyer: Buyer;
  /** Drives usage but is not a licence: free products, unmapped identifiers. */
  internal?: boolean;
}

const LICENCES: LicenceTemplate[] = [
  { product: 'ne-uppslagsverk', scope: 'organisation', audience: 'all', levels: ['broad'], seats: 'unlimited', flat: 145_000, period: 'multiYear', buyer: 'central' },
  { product: 'inlast-laromedel', scope: 'organisation', audience: 'students', levels: ['sparse'], seats: 'unlimited', flat: 62_000, period: 'schoolYear', buyer: 'samordnare' },
  { product: 'lexia-lasstod', scope: 'organisation', audience: 'all', levels: ['sparse'], seats: 'unlimited', flat: 38_500, period: 'endingSoon', buyer: 'it' },
  { product: 'studi', scope: 'organisation', audience: 'students', levels: ['under'], seats: 2500, perSeat: 39, period: 'schoolYear', buyer: 'central' },
  { product: 'studi', scope: 'school', units: 1, audience: 'students', levels: ['normal'], seats: 'fit', perSeat: 49, period: 'schoolYear', buyer: 'rektor' },
  { product: 'sanoma-matte-direkt-7-9', scope: 'organisation', audience: 'staff', levels: ['normal'], seats: 40, perSeat: 250, period: 'schoolYear', buyer: 'samordnare' },
  { product: 'sanoma-matte-direkt-7-9', scope: 'schoolEach', audience: 'students', levels: ['heavy', 'heavy', 'normal', 'under', 'heavy', 'normal'], seats: 'fit', perSeat: 95, period: 'schoolYear', buyer: 'rektor' },
  { product: 'gleerups-matematik-1-3', scope: 'organisation', audience: 'staff', levels: ['normal'], seats: 30, perSeat: 180, period: 'endingSoon', buyer: 'samordnare' },
  { product: 'gleerups-matematik-1-3', scope: 'school', units: 3, audience: 'students', levels: ['normal'], seats: 'fit', perSeat: 75, period: 'schoolYear', buyer: 'central' },
  { product: 'gleerups-biologi-7-9', scope: 'school', units: 2, audience: 'students', levels: ['under'], seats: 'fit', perSeat: 69, period: 'schoolYear', buyer: 'central' },
  { product: 'gleerups-samhallskunskap-1b', scope: 'school', units: 1, audience: 'students', levels: ['normal'], seats: 'fit', perSeat: 189, period: 'schoolYear', buyer: { team: 'SO' } },
  { product: 'gleerups-engelska-4-6', scope: 'school', units: 2, audience: 'students', levels: ['never'], seats: 'fit', perSeat: 59, period: 'schoolYear', buyer: 'central' },
  { product: 'gleerups-historia-1b', scope: 'school', units: 1, audience: 'students', levels: ['normal'], seats: 'fit', perSeat: 179, period: 'schoolYear', buyer: { team: 'SO' } },
  { product: 'liber-matematik-5000-1c', scope: 'group', groups: { kind: 'Undervisning', subject: 'MA', programmes: ['NA', 'TE', 'EK'], grades: [1, 2] }, audience: 'students', levels: ['heavy'], seats: 'fit', perSeat: 329, period: 'schoolYear', buyer: { team: 'matematik' } },
  { product: 'liber-sprakvag-spanska', scope: 'group', groups: { kind: 'Undervisning', subject: 'SP', units: 4 }, audience: 'students', levels: ['normal'], seats: 'fit', perSeat: 85, period: 'schoolYear', buyer: 'samordnare' },
  { product: 'liber-fysik-7-9', scope: 'schoolEach', units: 2, audience: 'students', levels: ['normal', 'heavy'], seats: 'fit', perSeat: 72, period: 'endingSoon', buyer: 'rektor' },
  { product: 'liber-lasforstaelse-4-6', scope: 'school', units: 3, audience: 'students', levels: ['never'], seats: 'fit', perSeat: 49, period: 'schoolYear', buyer: 'central' },
  { product: 'liber-deutsch-gy', scope: 'group', groups: { kind: 'Klass', programmes: ['SA', 'EK'] }, audience: 'students', levels: ['under'], seats: 'fit', perSeat: 199, period: 'schoolYear', buyer: { team: 'moderna språk' } },
  { product: 'ne-engelska-7-9', scope: 'schoolEach', units: 3, audience: 'students', levels: ['normal', 'under', 'heavy'], seats: 'fit', perSeat: 55, period: 'schoolYear', buyer: 'rektor' },
  { product: 'nok-digilar-matematik-4-6', scope: 'schoolEach', units: 4, audience: 'students', levels: ['heavy', 'heavy', 'normal', 'heavy'], seats: 'fit', perSeat: 65, period: 'schoolYear', buyer: 'rektor' },
  { product: 'nok-digilar-kemi-7-9', scope: 'school', units: 3, audience: 'students', levels: ['under'], seats: 'fit', perSeat: 65, period: 'schoolYear', buyer: 'central' },
  { product: 'nok-svenska-impulser-1', scope: 'school', audience: 'students', levels: ['normal'], seats: 'fit', perSeat: 210, period: 'endingSoon', buyer: 'central' },
  { product: 'nok-magic-4-6', scope: 'school', units: 2, audience: 'students', levels: ['heavy'], seats: 'fit', perSeat: 59, period: 'multiYear', buyer: 'samordnare' },
  { product: 'sanoma-mondo-so-4-6', scope: 'schoolEach', units: 2, audience: 'students', levels: ['under', 'normal'], seats: 'fit', perSeat: 62, period: 'schoolYear', buyer: 'rektor' },
  { product: 'sanoma-spektrum-biologi', scope: 'school', units: 2, audience: 'students', levels: ['under'], seats: 'fit', perSeat: 70, period: 'endingSoon', buyer: 'central' },
  { product: 'sanoma-kemi-1', scope: 'group', groups: { kind: 'Klass', programmes: ['NA'] }, audience: 'students', levels: ['normal'], seats: 'fit', perSeat: 245, period: 'schoolYear', buyer: { team: 'NO' } },
  { product: 'sanoma-safari-svenska-1-3', scope: 'schoolEach', units: 3, audience: 'students', levels: ['heavy', 'normal', 'under'], seats: 'fit', perSeat: 69, period: 'schoolYear', buyer: 'rektor' },
  { product: 'binogi', scope: 'schoolEach', units: 3, audience: 'students', levels: ['normal', 'fading', 'under'], seats: 'fit', perSeat: 45, period: 'schoolYear', buyer: 'rektor' },
  { product: 'nomp-matematik', scope: 'school', units: 1, audience: 'students', levels: ['heavy'], seats: 'unlimited', flat: 9_500, period: 'schoolYear', buyer: 'rektor' },
  { product: 'clio-samhallskunskap', scope: 'organisation', usedAt: 2, audience: 'students', levels: ['normal'], seats: 'fit', perSeat: 79, period: 'schoolYear', buyer: 'central' },
  { product: 'ugglo-engelska-f-3', scope: 'school', units: 1, audience: 'students', levels: ['normal'], seats: 'fit', perSeat: 35, period: 'endingSoon', buyer: 'rektor' },
  // Free and unknown products: usage without a licence behind it.
  { product: 'elevspel', scope: 'school', units: 4, audience: 'students', levels: ['sparse'], seats: 'unlimited', period: 'schoolYear', buyer: 'it', internal: true },
  { product: '(unmapped) glosmastaren', scope: 'school', units: 1, audience: 'students', levels: ['under'], seats: 'unlimited', period: 'schoolYear', buyer: 'it', internal: true },
  { product: '(unmapped) kodstugan', scope: 'school', units: 1, audience: 'students', levels: ['under'], seats: 'unlimited', period: 'schoolYear', buyer: 'it', internal: true },
  { product: '(unmapped) entra app', scope: 'organisation', audience: 'all', levels: ['sparse'], seats: 'unlimited', period: 'schoolYear', buyer: 'it', internal: true },
];

const BUYERS = {
  central: 'Centrala förvaltningen, Anna Lind',
  samordnare: 'Läromedelssamordnare, Per Holm',
  it: 'IT-avdelningen, Jonas Berg',
} as const;

/**
 * The förvaltning a demo licence belongs to (the action list per förvaltning): an organiser-wide
 * purchase the central one's, a school's or a group's that of its school form.
 */
function forvaltningOf(scope: string, units: Unit[]): string {
  if (scope === 'organisation') return 'Utbildningsförvaltningen';
  const forms = new Set(units.map((u) => (u.schoolType === 'GY' ? 'GY' : 'GR')));
  return forms.size === 1 && forms.has('GY') ? 'Gymnasieförvaltningen' : forms.size === 1 ? 'Grundskoleförvaltningen' : 'Utbildningsförvaltningen';
}

/** Buying a little more than the class lists need is usual; how much more depends on the buyer's optimism. */
const SEAT_FACTOR: Record<Level, number> = { heavy: 0.9, normal: 1.15, under: 1.6, broad: 1, sparse: 1, never: 1.1, fading: 1.15 };

export interface Catalogue {
  products: ProductInput[];
  licences: LicenceInput[];
  usageProducts: UsageProduct[];
  plans: UsagePlan[];
}

/**
 * The publisher's stated audience (målgrupp, docs/figures.md figure 13) from a product's bands,
 * for a product of one school form: `GR åk 7–9`. A target is school forms × years, so a product
 * of several forms with their own years (Studi: GR 4–9 and GY) cannot be said exactly and gets
 * none, like a product for every pupil: the dashboard says "målgrupp saknas" for them.
 */
export function targetOfBands(bands: Band[], subject?: string): Pick<ProductInput, 'target'> {
  const types = [...new Set(bands.map((b) => b.type))];
  if (types.length !== 1) return {};
  const years = [...new Set(bands.flatMap((b) => Array.from({ length: b.max - b.min + 1 }, (_, i) => b.min + i)))].sort((a, b) => a - b);
  return { target: { schoolTypes: types, years, subjects: subject ? [subject] : [], dutyRoles: [] } };
}

export function inBand(bands: Band[], schoolType: SchoolType, grade: number): boolean {
  return bands.some((b) => b.type === schoolType && grade >= b.min && grade <= b.max);
}

const unitInBand = (bands: Band[], u: Unit) => u.grades.some((g) => inBand(bands, u.schoolType, g));

/** Seats look bought, not computed: rounded up to 5, 10, 25 or 50. */
function niceSeats(n: number): number {
  const step = n < 50 ? 5 : n < 200 ? 10 : n < 1000 ? 25 : 50;
  return Math.max(step, Math.ceil(n / step) * step);
}

export function buildCatalogue(seed: number, today: string, sy: SchoolYear, roster: Roster): Catalogue {
  const rnd = new Random(seed, 'catalogue');
  const specs = [...PRODUCTS, ...UNMAPPED];
  const usageProducts: UsageProduct[] = specs.map((s) => ({
    id: s.id,
    bands: s.bands,
    identifiers: s.identifiers.map(([kind, value]) => ({ kind, value: value ?? rnd.uuid() })),
  }));
  const productIdx = new Map(usageProducts.map((p, i) => [p.id, i]));
  const products: ProductInput[] = PRODUCTS.map((s, i) => ({
    id: s.id,
    name: s.name,
    supplier: s.supplier,
    identifiers: usageProducts[i].identifiers.map((x) => x.value),
    ...targetOfBands(s.bands, s.subject),
  }));

  const { units, groups, persons } = roster;
  const startYear = Number(sy.start.slice(0, 4));
  const pupilsNow = persons.filter((p) => p.kind === 'pupil');
  const staff = persons.filter((p) => p.kind === 'staff');
  const licences: LicenceInput[] = [];
  const plans: UsagePlan[] = [];

  const periodOf = (kind: LicenceTemplate['period']): [string, string] => {
    if (kind === 'schoolYear') return [sy.start, sy.end];
    if (kind === 'multiYear') return [`${startYear - 1}-08-01`, `${startYear + 2}-07-31`];
    // A yearly agreement that ends at a month end 5–85 days from today: up for renewal.
    const end = addDays(monthStart(addDays(today, rnd.int(5, 55)), -1), -1);
    return [monthStart(addDays(end, 1), 12), end];
  };
  const orderRef = (start: string): string | undefined => {
    const r = rnd.float();
    if (r < 0.7) return `EK-${start.slice(0, 4)}-${rnd.digits(4)}`;
    if (r < 0.85) return `BOL-${rnd.digits(7)}`;
    return undefined;
  };

  for (const t of LICENCES) {
    const product = productIdx.get(t.product)!;
    const bands = usageProducts[product].bands;
    const matching = units.filter((u) => unitInBand(bands, u));
    const chosen = rnd.shuffle(matching).slice(0, t.units ?? matching.length).sort((a, b) => a.idx - b.idx);

    const scopes: { units: Unit[]; groups: Group[] }[] = [];
    if (t.scope === 'organisation') scopes.push({ units: matching, groups: [] });
    else if (t.scope === 'school') scopes.push({ units: chosen, groups: [] });
    else if (t.scope === 'schoolEach') for (const u of chosen) scopes.push({ units: [u], groups: [] });
    else {
      const spec = t.groups!;
      const withSubject = units.filter((u) => groups.some((g) => g.unit === u.idx && g.kind === spec.kind && (!spec.subject || g.subject === spec.subject)));
      const inUnits = new Set(rnd.shuffle(withSubject).slice(0, spec.units ?? withSubject.length).map((u) => u.idx));
      const picked = groups.filter((g) => g.kind === spec.kind && inUnits.has(g.unit)
        && (!spec.subject || g.subject === spec.subject)
        && (!spec.programmes || spec.programmes.includes(g.programme ?? ''))
        && (!spec.grades || spec.grades.includes(g.grade))
        && inBand(bands, g.schoolType, g.grade));
      scopes.push({ units: units.filter((u) => picked.some((g) => g.unit === u.idx)), groups: picked });
    }

    scopes.forEach((scope, i) => {
      // A tiny `scale` can leave a scope empty; a licence must name at least one id.
      if (scope.units.length === 0) return;
      const level = t.levels[i % t.levels.length];
      const scopeType = t.scope === 'schoolEach' ? 'school' : t.scope;
      const unitSet = new Set(scope.units.map((u) => u.idx));
      const groupSet = new Set(scope.groups.map((g) => g.idx));
      const key = `${t.product}#${plans.length}`;
      const usedAt = t.usedAt !== undefined && scopeType === 'organisation' ? new Set(chosen.slice(0, t.usedAt).map((u) => u.idx)) : undefined;
      plans.push({ key, product, scope: scopeType, units: usedAt ?? unitSet, ...(usedAt ? { onlyUnits: true } : {}), groups: groupSet, audience: t.audience, level });
      if (t.internal) return;

      const covers = (p: Person): boolean => {
        if (p.kind === 'staff') return scopeType === 'organisation' || p.units.some((u) => unitSet.has(u));
        const now = p.segments[p.segments.length - 1];
        if (!inBand(bands, p.schoolType, p.grade)) return false;
        if (scopeType === 'organisation') return true;
        if (scopeType === 'school') return unitSet.has(now.unit);
        return groupSet.has(now.klass) || now.groups.some((g) => groupSet.has(g));
      };
      const population = (t.audience === 'staff' ? [] : pupilsNow.filter(covers)).length
        + (t.audience === 'students' ? 0 : staff.filter(covers).length);
      const seats = t.seats === 'unlimited' ? null
        : t.seats === 'fit' ? niceSeats(population * SEAT_FACTOR[level] * rnd.between(0.95, 1.1))
        : t.seats;
      const price = seats === null ? t.flat! : seats * t.perSeat!;
      const [start, end] = periodOf(t.period);
      const first = scope.units[0];
      const buyer = typeof t.buyer === 'object'
        ? `Ämneslag ${t.buyer.team}, ${first?.name ?? 'Exempelstads kommun'}`
        : t.buyer === 'rektor' && scope.units.length === 1 ? `Rektor ${first.name}`
        : BUYERS[t.buyer === 'rektor' ? 'central' : t.buyer];
      const licence: LicenceInput = {
        id: `lic-${String(licences.length + 1).padStart(3, '0')}`,
        product: t.product,
        seats,
        scope: {
          type: scopeType,
          ids: scopeType === 'organisation' ? [roster.organiserId]
            : scopeType === 'school' ? scope.units.map((u) => u.id)
            : scope.groups.map((g) => g.id),
        },
        audience: t.audience,
        start,
        end,
        price,
        currency: 'SEK',
        buyer,
        forvaltning: forvaltningOf(scopeType, scope.units),
      };
      const ref = orderRef(start);
      if (ref) licence.orderRef = ref;
      licences.push(licence);
    });
  }
  return { products, licences, usageProducts, plans };
}
