/**
 * "Vad betyder det här?": a short explanation in plain Swedish and English of every figure,
 * column, flag and status the dashboard shows, and the glossary (Ordlista) of the terms a
 * purchaser meets. Column sentences come from the exports' own (packages/reports/src/columns.ts,
 * pure data), so a column means the same on screen, in the Excel file and in the PDF.
 */
import { COLUMNS } from '../../packages/reports/src/columns.ts';
import type { Lang } from './format.ts';

export interface Words { sv: string; en: string }

const fromColumn = (key: string): Words => ({ sv: COLUMNS[key].meaningSv, en: COLUMNS[key].meaningEn });

/** The dashboard's column ids (DataTable `id`) -> their explanation. */
const COLUMN_HELP: Record<string, Words> = {
  licence: { sv: 'Läromedlet och licensens id, som i avtalet eller inköpsordern.', en: 'The product and the licence id, as in the agreement or purchase order.' },
  product: fromColumn('productName'),
  buyer: fromColumn('buyer'),
  supplier: fromColumn('supplier'),
  scope: fromColumn('scope'),
  audience: fromColumn('audience'),
  seats: fromColumn('seats'),
  licences: fromColumn('licences'),
  licensedActive: fromColumn('licensedActive'),
  activeUsers: fromColumn('activeUsers'),
  events: fromColumn('events'),
  utilisation: fromColumn('utilisation'),
  unusedSeats: fromColumn('unusedSeats'),
  unusedCost: fromColumn('unusedCost'),
  costPerActive: fromColumn('costPerActiveUser'),
  cost: { sv: 'Vad licenserna kostar er för hela sin period. För en licens som delas med andra skolenheter: er andel av priset.', en: 'What the licences cost you for their whole period. For a licence shared with other school units: your share of the price.' },
  price: fromColumn('price'),
  wholePrice: fromColumn('wholePrice'),
  end: fromColumn('end'),
  daysToExpiry: fromColumn('daysToExpiry'),
  status: fromColumn('status'),
  peak: fromColumn('peak'),
  recommended: fromColumn('recommendedSeats'),
  saving: fromColumn('projectedSaving'),
  seatsMissing: fromColumn('seatsMissing'),
  missingCost: fromColumn('missingCost'),
  worst: fromColumn('worstUtilisation'),
  open: fromColumn('openFollowups'),
  group: fromColumn('groupName'),
  school: fromColumn('schoolName'),
  enrolled: fromColumn('enrolled'),
  active: fromColumn('active'),
  adoption: fromColumn('adoption'),
  activeDays: fromColumn('activeDays'),
  lastActive: fromColumn('lastActive'),
  identifier: fromColumn('identifier'),
  users: fromColumn('users'),
  firstSeen: fromColumn('firstSeen'),
  lastSeen: fromColumn('lastSeen'),
  week: fromColumn('week'),
  years: fromColumn('years'),
  pupils: fromColumn('pupils'),
  signedIn: fromColumn('signedIn'),
  notSignedIn: fromColumn('notSignedIn'),
  signedInShare: fromColumn('signedInShare'),
  pseudonym: fromColumn('pseudonym'),
  lastSignIn: fromColumn('lastSignIn'),
};

/** Statuses and flags (badges) and the headline figures (KPI cards). */
const OTHER_HELP: Record<string, Words> = {
  'status.unused': { sv: 'Oanvänd: licensen gäller, men ingen har använt den under fönstret (30 dagar om inget annat valts).', en: 'Unused: the licence is in force, but nobody used it in the window (30 days unless chosen otherwise).' },
  'status.underused': { sv: 'Underutnyttjad: licensen används, men färre än hälften av platserna (eller den gräns du valt) används.', en: 'Underused: the licence is used, but by fewer than half of its seats (or the limit you chose).' },
  'status.overused': { sv: 'Överanvänd: fler har använt licensen en månad än den har platser. Vid förnyelse behövs fler platser.', en: 'Overused: more persons used the licence in a month than it has seats. More seats are needed at renewal.' },
  'reach.partial': { sv: 'Delvis: licensen gäller fler skolenheter än ditt urval. Siffrorna räknar bara urvalets elever och personal, och kostnaden är urvalets andel av priset.', en: 'Partly: the licence covers more school units than your selection. The figures count only the selection\'s pupils and staff, and the cost is the selection\'s share of the price.' },
  'classes.status': { sv: 'Används: minst hälften av klassens elever har använt läromedlet. Låg: färre än hälften. Aldrig öppnat: ingen elev i klassen har använt det. Inga elever: klassen har inga elever under perioden.', en: 'In use: at least half the pupils of the class used the product. Low: fewer than half. Never opened: no pupil of the class used it. No pupils: the class has no pupils in the period.' },
  followup: { sv: 'Uppföljningens status: öppen (inget gjort än), kontaktad (beställaren har fått frågan), behåll, minska eller säg upp. Den senaste anteckningen gäller.', en: 'The follow-up status: open (nothing done yet), contacted (the buyer was asked), keep, reduce or cancel. The latest note counts.' },
  'kpi.cost': { sv: 'Vad alla licenser som gäller under perioden kostar, för hela sina avtalsperioder.', en: 'What every licence in force in the period costs, for their whole agreement periods.' },
  'kpi.unusedCost': fromColumn('unusedCost'),
  'kpi.costPerActive': { sv: 'Licensernas kostnad delad med antalet olika personer som använt något läromedel med licens under perioden.', en: 'The licences\' cost divided by the number of different persons who used any product under a licence in the period.' },
  'kpi.activeUsers': fromColumn('activeUsers'),
  'kpi.saving': { sv: 'Summan av vad det sparar att förnya licenserna som slutar med rekommenderat antal platser i stället för dagens.', en: 'The sum of what renewing the ending licences with the recommended seats instead of today\'s saves.' },
  'kpi.needed': { sv: 'Vad platserna som saknas kostar för de överanvända licenserna som slutar: saknade platser gånger licensens eget pris per plats. Räknas inte av mot besparingen.', en: 'What the missing seats of the ending over-used licences cost: missing seats times the licence\'s own price per seat. Not netted against the saving.' },
  'kpi.unusedTotal': { sv: 'Summan av vad de oanvända och underutnyttjade licensernas oanvända platser kostar.', en: 'The sum of what the unused seats of the unused and underused licences cost.' },
  'kpi.unmapped': fromColumn('identifier'),
  chart: { sv: 'Hur många olika personer som använt läromedlen varje vecka (måndag till söndag). En person räknas en gång per vecka, hur ofta hen än loggat in.', en: 'How many different persons used the products each week (Monday to Sunday). A person counts once a week, however often they signed in.' },
};

export function help(id: string, lang: Lang): string | undefined {
  const w = COLUMN_HELP[id] ?? OTHER_HELP[id];
  return w ? w[lang] : undefined;
}

export interface GlossaryEntry {
  /** Anchor on the glossary page (`/glossary#nyttjandegrad`). */
  id: string;
  term: Words;
  text: Words;
}

/** The Ordlista: written for a purchaser who has never heard of the standards. */
export const GLOSSARY: GlossaryEntry[] = [
  { id: 'aktiv-anvandare', term: { sv: 'Aktiv användare', en: 'Active user' },
    text: { sv: 'En person som har öppnat läromedlet minst en dag under perioden. Det spelar ingen roll hur många gånger: den som loggat in hundra gånger räknas en gång. Med eller utan licens.', en: 'A person who opened the product on at least one day in the period. How often does not matter: someone who signed in a hundred times counts once. With or without a licence.' } },
  { id: 'licensierad-aktiv', term: { sv: 'Licensierad aktiv (aktiv med licens)', en: 'Licensed active user' },
    text: { sv: 'En aktiv användare som licensen faktiskt gäller för: personen hör till licensens skolor eller klasser och till dess målgrupp den dag hen använde läromedlet. Det är de som räknas mot platserna ni köpt.', en: 'An active user the licence actually covers: the person belongs to the licence\'s schools or classes and to its audience on the day they used the product. They are the ones counted against the seats you bought.' } },
  { id: 'nyttjandegrad', term: { sv: 'Nyttjandegrad', en: 'Utilisation' },
    text: { sv: 'Hur stor del av de köpta platserna som används: aktiva med licens delat med antal platser. 100 % betyder att varje plats används, 20 % att fyra av fem platser står oanvända.', en: 'How much of the seats bought is used: licensed active users divided by seats. 100 % means every seat is used, 20 % that four of five seats stand unused.' } },
  { id: 'oanvand-kostnad', term: { sv: 'Oanvänd kostnad', en: 'Unused cost' },
    text: { sv: 'Vad de platser som ingen använder kostar: licensens pris per plats gånger antalet oanvända platser. Pengar som kanske kan sparas vid nästa förnyelse.', en: 'What the seats nobody uses cost: the licence\'s price per seat times the unused seats. Money that may be saved at the next renewal.' } },
  { id: 'malgrupp', term: { sv: 'Målgrupp', en: 'Audience' },
    text: { sv: 'Vilka personer en licens gäller för inom sina skolor eller klasser: elever, personal eller alla. En elevlicens räknar inte lärare som använder läromedlet.', en: 'Which persons a licence covers within its schools or classes: pupils, staff or everyone. A pupil licence does not count teachers who use the product.' } },
  { id: 'ss12000', term: { sv: 'SS12000', en: 'SS12000' },
    text: { sv: 'Svensk standard för hur skolans elevregister lämnar ut uppgifter om skolenheter, klasser, elever och personal till andra system. Licenskoll läser registret den vägen för att veta vem som går i vilken klass.', en: 'The Swedish standard for how a school\'s pupil register shares school units, classes, pupils and staff with other systems. Licenskoll reads the register that way to know who is in which class.' } },
  { id: 'bol', term: { sv: 'BOL', en: 'BOL' },
    text: { sv: 'Beställning och leverans av läromedel: en svensk standard för hur skolor beställer digitala läromedel och hur förlagen levererar licenserna. Därifrån kan licenserna och förlagens egna siffror läsas in.', en: 'Ordering and delivery of learning materials: a Swedish standard for how schools order digital products and publishers deliver the licences. Licences and the publishers\' own figures can be read from it.' } },
  { id: 'idp', term: { sv: 'IdP (inloggningstjänst)', en: 'IdP (identity provider)' },
    text: { sv: 'Tjänsten där elever och personal loggar in, till exempel Skolfederation, Google eller Microsoft. Varje inloggning i ett läromedel går via den, och det är därifrån Licenskoll får veta vem som använt vad.', en: 'The service where pupils and staff sign in, for example Skolfederation, Google or Microsoft. Every sign-in to a product goes through it, and that is how Licenskoll learns who used what.' } },
  { id: 'lti', term: { sv: 'LTI', en: 'LTI' },
    text: { sv: 'Ett sätt att starta ett läromedel inifrån lärplattformen (till exempel en kurs i Canvas eller Google Classroom) utan ny inloggning. Varje start räknas som användning.', en: 'A way to start a product from inside the learning platform (a course in Canvas or Google Classroom, say) without signing in again. Every start counts as use.' } },
  { id: 'caliper', term: { sv: 'Caliper', en: 'Caliper' },
    text: { sv: 'En standard för hur lärplattformar och läromedel berättar vad som händer, till exempel "eleven loggade in" eller "eleven startade verktyget". Licenskoll tar emot sådana händelser.', en: 'A standard for how learning platforms and products report what happens, for example "the pupil signed in" or "the pupil started the tool". Licenskoll receives such events.' } },
  { id: 'pseudonym', term: { sv: 'Pseudonym', en: 'Pseudonym' },
    text: { sv: 'En kod som ersätter en persons namn eller e-postadress innan något sparas. Licenskoll kan räkna samma person två gånger som en, men ingen rapport visar vem det är.', en: 'A code that replaces a person\'s name or e-mail address before anything is stored. Licenskoll can tell that two sign-ins are the same person, but no report shows who it is.' } },
  { id: 'skolenhet', term: { sv: 'Skolenhet', en: 'School unit' },
    text: { sv: 'En skola som Skolverket känner den, med en egen skolenhetskod. En skola med både låg- och högstadium kan vara en eller flera skolenheter.', en: 'A school as the National Agency for Education knows it, with its own school unit code. A school with several stages can be one or more school units.' } },
  { id: 'huvudman', term: { sv: 'Huvudman', en: 'Organiser (huvudman)' },
    text: { sv: 'Den som driver skolorna och betalar licenserna: kommunen, regionen eller det fristående bolaget. Huvudmannen äger alla uppgifter i Licenskoll.', en: 'Whoever runs the schools and pays for the licences: the municipality, the region or the independent school company. The organiser owns all data in Licenskoll.' } },
];

/** The columns and figures the glossary lists after the terms, in the exports' words. */
const LISTED = ['licensedActive', 'activeUsers', 'utilisation', 'seats', 'unusedSeats', 'unusedCost', 'costPerActiveUser', 'cost', 'price',
  'peak', 'recommendedSeats', 'projectedSaving', 'seatsMissing', 'missingCost', 'status', 'openFollowups', 'events', 'adoption', 'buyer', 'scope'];
export const GLOSSARY_COLUMNS: GlossaryEntry[] = LISTED.map((k) => ({
  id: `kolumn-${k}`,
  term: { sv: COLUMNS[k].sv, en: COLUMNS[k].en },
  text: { sv: COLUMNS[k].meaningSv, en: COLUMNS[k].meaningEn },
}));
