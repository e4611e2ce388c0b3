/**
 * What each report and list is, and what its parameters mean, in plain Swedish and English: the
 * first sheet of an Excel export and the heading of a mailed report. Pure data, like columns.ts.
 */
export interface ReportWords {
  sv: string;
  en: string;
  aboutSv: string;
  aboutEn: string;
}

const r = (sv: string, en: string, aboutSv: string, aboutEn: string): ReportWords => ({ sv, en, aboutSv, aboutEn });

export const REPORTS: Record<string, ReportWords> = {
  overview: r('Översikt per läromedel', 'Overview by product',
    'Vad licenserna för varje läromedel kostar, hur mycket som står oanvänt och hur många som använder läromedlet.',
    'What the licences of each product cost, how much stands unused and how many use the product.'),
  'class-usage': r('Klassernas användning', 'Class usage',
    'Hur stor andel av eleverna i varje klass som använt varje läromedel under perioden.',
    'The share of pupils in each class who used each product in the period.'),
  licences: r('Licenser', 'Licences',
    'Varje licens med nyttjandegrad, oanvända platser och deras kostnad.',
    'Every licence with its utilisation, unused seats and their cost.'),
  unused: r('Oanvända och underutnyttjade licenser', 'Unused and underused licences',
    'Licenser som gäller men som ingen använt under fönstret, eller där för få av platserna används.',
    'Licences in force that nobody used in the window, or where too few of the seats are used.'),
  renewals: r('Licenser som ska förnyas', 'Renewals',
    'Licenser som slutar inom horisonten, med högsta användning, rekommenderat antal platser och möjlig besparing.',
    'Licences ending within the horizon, with peak use, recommended seats and the projected saving.'),
  buyers: r('Beställare', 'Buyers',
    'Varje beställare med licenser, kostnad, oanvänd kostnad och öppna uppföljningsärenden.',
    'Every buyer with licences, cost, unused cost and open follow-ups.'),
  unlicensed: r('Utan licens', 'Without a licence',
    'Användning en dag då ingen licens gällde, per läromedel, skolenhet och klass, och läromedel som används utan att någon köpt dem.',
    'Use on days no licence applied, per product, school unit and class, and products used without anyone having bought them.'),
  'seat-moves': r('Flytta licenser före köp', 'Seat moves',
    'Platser som ingen använt på en skolenhet och som kan flyttas till en skolenhet som saknar platser, med vad det sparar jämfört med att köpa.',
    'Seats nobody used at one school unit that can move to a unit lacking seats, with what that saves against buying.'),
  actions: r('Att besluta', 'Actions',
    'Allt som ska beslutas före ett datum: förnya, minska, säga upp, flytta platser och följa upp, med beloppet och regeln bakom varje punkt.',
    'Everything to decide before a date: renew, reduce, cut, move seats and follow up, with the amount and the rule behind each item.'),
  'buyer-list': r('Beställare och förvaltning', 'Buyers and administrations', 'Beställarna, deras förvaltning och antal licenser.', 'The buyers, their administration and number of licences.'),
  'sign-in-readiness': r('Inloggning inför prov', 'Sign-in readiness',
    'Hur många elever i årskurserna med nationella prov som loggat in med sitt skolkonto de senaste dagarna före ett datum, per skolenhet och klass, så att inloggningen kan ordnas före provet.',
    'How many pupils of the years with national tests signed in with their school account in the days before a date, per school unit and class, so that sign-in problems are solved before the test.'),
  'sign-in-readiness-pupils': r('Elever som inte loggat in', 'Pupils not signed in',
    'Klassens elever (som pseudonymer) som inte loggat in med sitt skolkonto de senaste dagarna före datumet.',
    'The class\'s pupils (as pseudonyms) who did not sign in with their school account in the days before the date.'),
  flags: r('Signaler', 'Flags',
    'Licenser som kan vara värda att se över: aldrig använda, lågt nyttjade, använda på en eller två skolor, sjunkande, dyra per aktiv användare eller överlappande, med skälet och beloppet.',
    'Licences worth a second look: never used, underused, used at one or two schools, falling, expensive per active user or overlapping, with the reason and the money at stake.'),
  unmapped: r('Okända källor', 'Unmapped identifiers',
    'Namn på läromedel i inloggningarna som ännu inte kopplats till något läromedel.',
    'Product names in the sign-ins not yet linked to a product.'),
  followups: r('Uppföljning', 'Follow-ups',
    'Vad som beslutats om varje licens, senaste först.',
    'What was decided about each licence, newest first.'),
  audit: r('Granskningslogg', 'Audit log', 'Vem som läst eller ändrat vad, och när.', 'Who read or changed what, and when.'),
  products: r('Läromedel', 'Products', 'Läromedlen och hur källorna namnger dem.', 'The products and how the sources name them.'),
  'licence-list': r('Licenser (avtal)', 'Licences (agreements)', 'Licenserna som de lästs in: omfattning, platser, pris och period.', 'The licences as imported: scope, seats, price and period.'),
  agreements: r('Ramavtal', 'Framework agreements', 'Regionens ramavtal som huvudmannen är med i: licenser kan vara avrop från dem.', "The region's framework agreements the organiser takes part in: licences may be call-offs of them."),
  tokens: r('API-nycklar', 'API tokens', 'Utfärdade nycklar, deras roll och giltighet.', 'Issued tokens, their role and validity.'),
  erasures: r('Raderingar', 'Erasures', 'Personer vars uppgifter raderats, och av vem.', 'Persons whose data was erased, and by whom.'),
  organisations: r('Skolenheter och organisation', 'Organisations', 'Huvudmannen och dess skolenheter.', 'The organiser and its school units.'),
  groups: r('Grupper', 'Groups', 'Klasser och grupper i elevregistret.', 'Classes and groups in the pupil register.'),
  'unresolved-references': r('Okända hänvisningar i registret', 'Unresolved register references', 'Rader i registret som pekar på en organisation eller person som inte finns.', 'Register rows naming an organisation or person that is not there.'),
  'renewal-pack': r('Förnyelseunderlag', 'Renewal pack',
    'Underlag inför förnyelse för en beställare: licenser som slutar snart, oanvända och underutnyttjade licenser och öppna uppföljningsärenden.',
    'Material for renewal for one buyer: licences ending soon, unused and underused licences and open follow-ups.'),
};

/** The report's words, or its key for a report without a line above. */
export function reportWords(name: string): ReportWords {
  return REPORTS[name] ?? r(name, name, '', '');
}

/** Labels of the parameters an export records as its period and filters. */
export const PARAMS: Record<string, { sv: string; en: string }> = {
  from: { sv: 'Från', en: 'From' },
  to: { sv: 'Till', en: 'To' },
  asOf: { sv: 'Per datum', en: 'As of' },
  product: { sv: 'Läromedel', en: 'Product' },
  school: { sv: 'Skolenhet', en: 'School unit' },
  group: { sv: 'Grupp', en: 'Group' },
  buyer: { sv: 'Beställare', en: 'Buyer' },
  forvaltning: { sv: 'Förvaltning', en: 'Administration' },
  before: { sv: 'Beslut före', en: 'Decide before' },
  lastFullMonth: { sv: 'Sista hela månad', en: 'Last full month' },
  days: { sv: 'Fönster (dagar)', en: 'Window (days)' },
  date: { sv: 'Datum', en: 'Date' },
  threshold: { sv: 'Underutnyttjad under', en: 'Underused below' },
  within: { sv: 'Horisont (dagar)', en: 'Horizon (days)' },
  horizonEnd: { sv: 'Slutar senast', en: 'Ending by' },
  headroom: { sv: 'Marginal', en: 'Headroom' },
  licence: { sv: 'Licens', en: 'Licence' },
  actor: { sv: 'Vem', en: 'Who' },
  action: { sv: 'Åtgärd', en: 'Action' },
  limit: { sv: 'Högst antal rader', en: 'At most rows' },
};
