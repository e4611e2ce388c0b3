/**
 * What each column of a report or list means, in the words of the people who read the files:
 * the header in Swedish and English, the kind of value (which decides the cell's number format in
 * Excel and the Swedish-Excel CSV), and a sentence for the export's "about" sheet and the
 * dashboard's explanations. Pure data, no imports: the dashboard reads it too.
 *
 * A report that grows a column needs one line here. A column without one is still exported:
 * `columnInfo` names it by its key and guesses its kind from its name and values.
 */
export type ColumnKind =
  | 'text'
  /** A whole number of persons, seats, events or licences. */
  | 'count'
  /** Money, in the row's `currency` (SEK unless it says otherwise). */
  | 'money'
  /** A share between 0 and 1 (shown as per cent). */
  | 'ratio'
  /** A calendar day, `YYYY-MM-DD`. */
  | 'date'
  /** A moment, ISO-8601 with offset. */
  | 'datetime'
  | 'number'
  | 'boolean';

export interface ColumnWords {
  sv: string;
  en: string;
  kind: ColumnKind;
  /** Plain Swedish: what the figure is, for someone who has not read the definitions. */
  meaningSv: string;
  meaningEn: string;
}

const c = (sv: string, en: string, kind: ColumnKind, meaningSv: string, meaningEn: string): ColumnWords => ({ sv, en, kind, meaningSv, meaningEn });

export const COLUMNS: Record<string, ColumnWords> = {
  licence: c('Licens', 'Licence', 'text', 'Licensens id, som i avtalet eller inköpsordern.', 'The licence id, as in the agreement or purchase order.'),
  licences: c('Licenser', 'Licences', 'count', 'Antal licenser.', 'Number of licences.'),
  product: c('Läromedel (id)', 'Product (id)', 'text', 'Läromedlets id i Licenskoll.', 'The product id in Licenskoll.'),
  productName: c('Läromedel', 'Product', 'text', 'Läromedlets namn.', 'The product name.'),
  name: c('Namn', 'Name', 'text', 'Namnet.', 'The name.'),
  supplier: c('Leverantör', 'Supplier', 'text', 'Förlaget eller företaget som säljer läromedlet.', 'The publisher or company selling the product.'),
  buyer: c('Beställare', 'Buyer', 'text', 'Den som köpte licensen, till exempel en förvaltning eller en skola.', 'Who bought the licence, for example a department or a school.'),
  scope: c('Omfattning', 'Scope', 'text', 'Vilka licensen gäller: hela huvudmannen, vissa skolenheter eller vissa grupper.', 'Whom the licence covers: the whole organiser, some school units or some groups.'),
  audience: c('Målgrupp', 'Audience', 'text', 'Vilka personer i omfattningen som räknas: elever, personal eller alla.', 'Which persons within the scope count: pupils, staff or everyone.'),
  seats: c('Platser', 'Seats', 'count', 'Antal köpta platser. Tomt betyder obegränsat antal.', 'Seats bought. Empty means unlimited.'),
  licensedActive: c('Aktiva med licens', 'Licensed active users', 'count', 'Personer som licensen gäller för och som använt läromedlet minst en dag under perioden.', 'Persons the licence covers who used the product on at least one day of the period.'),
  activeUsers: c('Aktiva användare', 'Active users', 'count', 'Alla som använt läromedlet minst en dag under perioden, med eller utan licens.', 'Everyone who used the product on at least one day of the period, licensed or not.'),
  events: c('Händelser', 'Events', 'count', 'Antal inloggningar och starter av läromedlet.', 'Number of sign-ins and launches of the product.'),
  utilisation: c('Nyttjandegrad', 'Utilisation', 'ratio', 'Aktiva med licens delat med köpta platser. 100 % betyder att alla platser används.', 'Licensed active users divided by seats bought. 100 % means every seat is used.'),
  unusedSeats: c('Oanvända platser', 'Unused seats', 'count', 'Köpta platser som ingen använt under perioden.', 'Seats bought that nobody used in the period.'),
  unusedCost: c('Oanvänd kostnad', 'Unused cost', 'money', 'Vad de oanvända platserna kostar: licensens pris delat per plats gånger oanvända platser.', 'What the unused seats cost: the licence price per seat times the unused seats.'),
  costPerActiveUser: c('Kostnad per aktiv', 'Cost per active user', 'money', 'Licensens pris delat med antalet aktiva med licens.', 'The licence price divided by its licensed active users.'),
  cost: c('Kostnad', 'Cost', 'money', 'Vad licenserna kostar för hela sin period.', 'What the licences cost for their whole period.'),
  price: c('Pris', 'Price', 'money', 'Licensens pris för hela avtalsperioden.', 'The licence price for its whole period.'),
  currency: c('Valuta', 'Currency', 'text', 'Valutan för beloppen på raden.', 'The currency of the amounts on the row.'),
  start: c('Startar', 'Starts', 'date', 'Licensens första dag.', 'The first day of the licence.'),
  end: c('Slutar', 'Ends', 'date', 'Licensens sista dag.', 'The last day of the licence.'),
  daysToExpiry: c('Dagar kvar', 'Days left', 'count', 'Dagar från rapportens datum till licensens sista dag.', 'Days from the report date to the last day of the licence.'),
  orderRef: c('Ordernummer', 'Order reference', 'text', 'Inköpsorderns nummer.', 'The purchase order number.'),
  publisher: c('Förlagets siffror', 'Publisher figures', 'text', 'Vad förlaget självt rapporterat om licensen (tilldelade och använda platser).', 'What the publisher itself reported about the licence (assigned and used seats).'),
  status: c('Status', 'Status', 'text', 'Oanvänd: ingen har använt licensen under fönstret. Underutnyttjad: färre än gränsen av platserna används.', 'Unused: nobody used the licence in the window. Underused: fewer seats than the threshold are used.'),
  peak: c('Högsta användning', 'Peak use', 'count', 'Flest aktiva med licens under en kalendermånad de tre senaste hela månaderna.', 'The most licensed active users in one calendar month of the last three full months.'),
  recommendedSeats: c('Rekommenderade platser', 'Recommended seats', 'count', 'Högsta användning plus marginal (10 % om inget annat valts), avrundat uppåt.', 'Peak use plus headroom (10 % unless chosen otherwise), rounded up.'),
  projectedSaving: c('Möjlig besparing', 'Projected saving', 'money', 'Vad det sparar att förnya med rekommenderat antal platser i stället för dagens, till samma pris per plats.', 'What renewing with the recommended seats instead of today\'s saves, at the same price per seat.'),
  overused: c('Överanvänd', 'Overused', 'boolean', 'Ja när fler har använt licensen en månad än den har platser.', 'Yes when more persons used the licence in a month than it has seats.'),
  seatsMissing: c('Saknade platser', 'Missing seats', 'count', 'Rekommenderade platser minus köpta platser, när fler behövs än som köpts.', 'Recommended seats minus seats bought, when more are needed than were bought.'),
  missingCost: c('Kostnad saknade platser', 'Cost of missing seats', 'money', 'Vad de saknade platserna kostar till licensens eget pris per plats.', 'What the missing seats cost at the licence\'s own price per seat.'),
  reach: c('Gäller urvalet', 'Covers the selection', 'text', 'Helt (full): licensen gäller bara skolenheter i urvalet. Delvis (partial): den gäller även andra, och siffrorna räknar bara urvalets personer.', 'Full: the licence covers only school units in the selection. Partial: it covers others too, and the figures count only the selection\'s persons.'),
  share: c('Andel av kostnaden', 'Share of the cost', 'ratio', 'Den del av licensens pris som räknas på urvalet: dess andel av licensens målgrupp.', 'The part of the licence price counted for the selection: its share of the licence\'s audience.'),
  shareYours: c('Målgrupp i urvalet', 'Audience in the selection', 'count', 'Personer i licensens målgrupp som hör till urvalet.', 'Persons of the licence\'s audience who belong to the selection.'),
  shareWhole: c('Hela målgruppen', 'Whole audience', 'count', 'Alla personer i licensens målgrupp.', 'Every person in the licence\'s audience.'),
  shareDay: c('Andel räknad per', 'Share counted on', 'date', 'Dagen då målgruppen räknades för andelen.', 'The day the audience was counted for the share.'),
  wholePrice: c('Hela licensens pris', 'Whole licence price', 'money', 'Priset för hela licensen, även den del som gäller andra skolenheter.', 'The price of the whole licence, including the part covering other school units.'),
  partialLicences: c('Delvis i urvalet', 'Partly in the selection', 'count', 'Licenser som även gäller skolenheter utanför urvalet.', 'Licences that also cover school units outside the selection.'),
  worstUtilisation: c('Lägsta nyttjandegrad', 'Lowest utilisation', 'ratio', 'Den lägsta nyttjandegraden bland beställarens licenser.', 'The lowest utilisation among the buyer\'s licences.'),
  openFollowups: c('Öppna ärenden', 'Open follow-ups', 'count', 'Licenser där senaste uppföljningen har status öppen.', 'Licences whose latest follow-up is open.'),
  school: c('Skolenhet (id)', 'School unit (id)', 'text', 'Skolenhetens id i elevregistret.', 'The school unit id in the pupil register.'),
  schoolName: c('Skolenhet', 'School unit', 'text', 'Skolenhetens namn.', 'The school unit name.'),
  group: c('Grupp (id)', 'Group (id)', 'text', 'Klassens eller gruppens id i elevregistret.', 'The class or group id in the pupil register.'),
  groupName: c('Klass eller grupp', 'Class or group', 'text', 'Klassens eller gruppens namn.', 'The class or group name.'),
  groupType: c('Grupptyp', 'Group type', 'text', 'Klass, undervisningsgrupp eller annan grupp, som elevregistret anger.', 'Class, teaching group or other, as the pupil register says.'),
  enrolled: c('Elever', 'Pupils', 'count', 'Elever i gruppen under perioden.', 'Pupils in the group during the period.'),
  active: c('Aktiva elever', 'Active pupils', 'count', 'Elever i gruppen som använt läromedlet minst en dag.', 'Pupils of the group who used the product on at least one day.'),
  adoption: c('Andel aktiva', 'Adoption', 'ratio', 'Aktiva elever delat med gruppens elever.', 'Active pupils divided by the pupils of the group.'),
  activeDays: c('Aktiva dagar', 'Active days', 'count', 'Dagar då minst en elev i gruppen använde läromedlet.', 'Days on which at least one pupil of the group used the product.'),
  lastActive: c('Senast aktiv', 'Last active', 'date', 'Senaste dagen någon i gruppen använde läromedlet.', 'The last day anyone in the group used the product.'),
  suppressed: c('Dold (liten grupp)', 'Hidden (small group)', 'boolean', 'Ja när gruppen har färre än 5 elever: då visas inga siffror, så att ingen enskild elev kan pekas ut.', 'Yes when the group has fewer than 5 pupils: no figures are shown, so that no single pupil can be singled out.'),
  reason: c('Skäl', 'Reason', 'text', 'Varför: varför siffrorna inte visas, eller för en signal vad som hittades.', 'Why: why the figures are not shown, or for a flag what was found.'),
  flag: c('Signal', 'Flag', 'text', 'Vilken sorts signal: aldrig använd, lågt nyttjad, koncentrerad, sjunkande, dyr eller överlapp.', 'The kind of flag: never used, low utilisation, concentrated, falling, expensive or overlap.'),
  licenceId: c('Licens', 'Licence', 'text', 'Licensens id.', 'The licence id.'),
  productId: c('Läromedel (id)', 'Product (id)', 'text', 'Läromedlets id i Licenskoll.', 'The product id in Licenskoll.'),
  reasonEn: c('Skäl (engelska)', 'Reason', 'text', 'Skälet på engelska.', 'The reason in English.'),
  numbers: c('Underlag', 'Numbers', 'text', 'Siffrorna bakom signalen, med namn.', 'The figures behind the flag, by name.'),
  sek: c('Belopp', 'Money at stake', 'money', 'Pengarna det gäller: för en signal enligt dess definition, för ett beslut vad det sparar eller kostar.', 'The money at stake: for a flag as it defines it, for a decision what it saves or costs.'),
  link: c('Länk', 'Link', 'text', 'Sidan i Licenskoll med raderna bakom signalen.', 'The Licenskoll page with the rows behind the flag.'),
  schoolIds: c('Skolenheter', 'School units', 'text', 'Skolenheterna signalen gäller.', 'The school units the flag is about.'),
  otherLicenceId: c('Annan licens', 'Other licence', 'text', 'Den andra licensen vid överlapp.', 'The other licence of an overlap.'),
  otherProductId: c('Annat läromedel', 'Other product', 'text', 'Det andra läromedlet vid överlapp.', 'The other product of an overlap.'),
  identifier: c('Identifierare', 'Identifier', 'text', 'Hur källan namnger läromedlet (en adress eller ett id) när det ännu inte är kopplat till ett läromedel.', 'How the source names the product (an address or id) when it is not yet linked to a product.'),
  users: c('Användare', 'Users', 'count', 'Olika användare.', 'Distinct users.'),
  firstSeen: c('Först sedd', 'First seen', 'datetime', 'Första gången identifieraren förekom.', 'The first time the identifier occurred.'),
  lastSeen: c('Senast sedd', 'Last seen', 'datetime', 'Senaste gången identifieraren förekom.', 'The last time the identifier occurred.'),
  note: c('Anteckning', 'Note', 'text', 'Vad som sagts eller beslutats.', 'What was said or decided.'),
  by: c('Av', 'By', 'text', 'Vem som skrev uppföljningen.', 'Who wrote the follow-up.'),
  at: c('Tidpunkt', 'Time', 'datetime', 'När det hände.', 'When it happened.'),
  week: c('Vecka från', 'Week from', 'date', 'Veckans måndag.', 'The Monday of the week.'),
  id: c('Id', 'Id', 'text', 'Id.', 'Id.'),
  type: c('Typ', 'Type', 'text', 'Typ.', 'Type.'),
  identifiers: c('Identifierare', 'Identifiers', 'text', 'Hur källorna namnger läromedlet.', 'How the sources name the product.'),
  origin: c('Ursprung', 'Origin', 'text', 'region: ärvt från regionens gemensamma katalog; local: huvudmannens eget läromedel eller egen ändring av regionens.', "region: inherited from the region's shared catalogue; local: the organiser's own product or its own change of the region's."),
  role: c('Roll', 'Role', 'text', 'Roll: administratör, inköpare, rektor, lärare eller inläsning.', 'Role: admin, purchaser, principal, teacher or ingest.'),
  actor: c('Vem', 'Who', 'text', 'Vem som gjorde det.', 'Who did it.'),
  action: c('Åtgärd', 'Action', 'text', 'Vad som gjordes.', 'What was done.'),
  rows: c('Rader', 'Rows', 'count', 'Antal rader i svaret.', 'Rows in the answer.'),
  expires: c('Gäller till', 'Expires', 'date', 'Sista giltighetsdag.', 'Last day it is valid.'),
  target: c('Målgrupp (skolform, årskurs)', 'Target (school form, year)', 'text', 'Vilka licensen är avsedd för: skolformer, årskurser, ämnen och befattningar. Tomt: målgrupp saknas.', 'Whom the licence is meant for: school forms, years, subjects and duty roles. Empty: no target set.'),
  targetSize: c('I målgruppen', 'In the target', 'count', 'Personer som licensen gäller för och som hör till målgruppen, räknat på licensens dag.', 'Persons the licence covers who are in its target, counted on the licence\'s day.'),
  outsideTarget: c('Används utanför målgruppen', 'Used outside the target', 'count', 'Personer med licens som använt läromedlet men aldrig på en dag då de hörde till målgruppen.', 'Licensed persons who used the product but never on a day they were in its target.'),
  inTarget: c('I målgruppen', 'In the target', 'boolean', 'Om klassen hör till läromedlets målgrupp. Tomt: målgrupp saknas.', 'Whether the class is in the product\'s target. Empty: no target set.'),
  level: c('Nivå', 'Level', 'text', 'Läromedel, skolenhet eller klass.', 'Product, school unit or class.'),
  licensed: c('Har licens', 'Has a licence', 'boolean', 'Om läromedlet har någon licens under perioden. Nej: används utan att någon köpt det.', 'Whether the product has any licence in the period. No: used without anyone having bought it.'),
  persons: c('Personer utan licens', 'Persons without a licence', 'count', 'Personer som använt läromedlet en dag då ingen licens gällde för dem.', 'Persons who used the product on a day no licence covered them.'),
  days: c('Dagar utan licens', 'Days without a licence', 'count', 'Persondagar med användning utan licens.', 'Person-days of use without a licence.'),
  deniedPersons: c('Nekade personer', 'Persons refused', 'count', 'Personer vars start av läromedlet nekades.', 'Persons whose launch of the product was refused.'),
  forvaltning: c('Förvaltning', 'Administration', 'text', 'Förvaltningen som licensen eller beställaren hör till.', 'The administration (förvaltning) the licence or buyer belongs to.'),
  agreement: c('Ramavtal', 'Framework agreement', 'text', 'Regionens ramavtal som licensen är ett avrop från. Tomt: inget.', "The region's framework agreement the licence is a call-off of. Empty: none."),
  pricePerSeat: c('Pris per plats', 'Price per seat', 'money', 'Ramavtalets pris per plats.', "The framework agreement's price per seat."),
  // Seat moves (figure 18) and the action list (figure 19).
  fromLicence: c('Från licens', 'From licence', 'text', 'Licensen som lämnar platser.', 'The licence giving seats.'),
  fromSchool: c('Från skolenhet (id)', 'From school unit (id)', 'text', 'Skolenheten som lämnar platser.', 'The school unit giving seats.'),
  fromSchoolName: c('Från skolenhet', 'From school unit', 'text', 'Skolenheten som lämnar platser.', 'The school unit giving seats.'),
  fromBuyer: c('Från beställare', 'From buyer', 'text', 'Beställaren av licensen som lämnar platser.', 'The buyer of the licence giving seats.'),
  fromSeats: c('Platser hos givaren', 'Seats of the giver', 'count', 'Köpta platser på licensen som lämnar platser.', 'Seats bought on the licence giving seats.'),
  fromInUse: c('Använda hos givaren', 'In use at the giver', 'count', 'Flest som använt givarens licens en månad (de tre senaste hela månaderna och denna).', 'The most who used the giving licence in one month (the last three full months and this one).'),
  surplus: c('Lediga platser', 'Spare seats', 'count', 'Platser som ingen använt någon av månaderna: bara de kan flyttas.', 'Seats nobody used in any of the months: only these can move.'),
  toLicence: c('Till licens', 'To licence', 'text', 'Licensen som får platser. Tomt: skolenheten har ingen licens.', 'The licence receiving seats. Empty: the school unit has no licence.'),
  toSchool: c('Till skolenhet (id)', 'To school unit (id)', 'text', 'Skolenheten som får platser.', 'The school unit receiving seats.'),
  toSchoolName: c('Till skolenhet', 'To school unit', 'text', 'Skolenheten som får platser.', 'The school unit receiving seats.'),
  toBuyer: c('Till beställare', 'To buyer', 'text', 'Beställaren av licensen som får platser.', 'The buyer of the licence receiving seats.'),
  toSeats: c('Platser hos mottagaren', 'Seats of the receiver', 'count', 'Köpta platser på licensen som får platser.', 'Seats bought on the licence receiving seats.'),
  toInUse: c('Användare hos mottagaren', 'Users at the receiver', 'count', 'Flest som använt mottagarens licens en månad, eller som använt läromedlet där utan licens.', 'The most who used the receiving licence in one month, or who used the product there without a licence.'),
  lacking: c('Saknas', 'Lacking', 'count', 'Platser som mottagaren saknar: användare utöver platserna, eller användare utan licens.', 'Seats the receiver lacks: users beyond its seats, or users without a licence.'),
  seatPrice: c('Pris per plats', 'Seat price', 'money', 'Mottagarens pris per plats (givarens när mottagaren saknar licens).', 'The receiver\'s price per seat (the giver\'s when the receiver has no licence).'),
  saving: c('Sparar', 'Saves', 'money', 'Vad det hade kostat att köpa platserna i stället för att flytta dem.', 'What buying the seats instead of moving them would cost.'),
  due: c('Beslut senast', 'Decide by', 'date', 'Dagen beslutet behövs: licensens sista dag för en förnyelse, annars nu.', 'The day the decision is needed: the licence\'s last day for a renewal, otherwise now.'),
  effect: c('Sparar eller kostar', 'Saves or costs', 'text', 'saving: beslutet sparar beloppet; cost: beslutet kostar det.', 'saving: the decision saves the amount; cost: it costs it.'),
  rule: c('Regel', 'Rule', 'text', 'Regeln eller flaggan som tog upp punkten.', 'The rule or flag that raised the item.'),
  explanation: c('Varför', 'Why', 'text', 'Vad punkten säger, med siffrorna bakom.', 'What the item says, with the numbers behind it.'),
  followupStatus: c('Uppföljning', 'Follow-up', 'text', 'Licensens senaste uppföljningsstatus: open, contacted, keep, reduce eller cancel.', 'The licence\'s latest follow-up status: open, contacted, keep, reduce or cancel.'),
  pupils: c('Elever', 'Pupils', 'count', 'Elever i årskurser med nationella prov som går i klassen (eller på skolenheten) på dagen.', 'Pupils of the tested years in the class (or at the school unit) on the day.'),
  years: c('Årskurs', 'Year', 'text', 'Skolform och årskurs, till exempel GR 6 (grundskolan, årskurs 6).', 'School form and year, for example GR 6 (compulsory school, year 6).'),
  signedIn: c('Har loggat in', 'Signed in', 'count', 'Elever som loggat in med sitt skolkonto minst en gång under dagarna före dagen.', 'Pupils who signed in with their school account at least once in the days before the day.'),
  notSignedIn: c('Har inte loggat in', 'Not signed in', 'count', 'Elever som inte loggat in med sitt skolkonto under dagarna före dagen: deras inloggning kan behöva kontrolleras före provet.', 'Pupils who did not sign in with their school account in the days before the day: their sign-in may need checking before the test.'),
  signedInShare: c('Andel inloggade', 'Share signed in', 'ratio', 'Elever som loggat in delat med klassens (eller skolenhetens) elever.', 'Pupils who signed in divided by the pupils of the class (or school unit).'),
  pseudonym: c('Elev (pseudonym)', 'Pupil (pseudonym)', 'text', 'Elevens kod i Licenskoll. Namn sparas inte; skolans administratör kan ta fram vem koden gäller.', 'The pupil\'s code in Licenskoll. No names are stored; the school\'s administrator can find out whom the code is.'),
  lastSignIn: c('Senast inloggad', 'Last signed in', 'date', 'Senaste dagen eleven loggade in med sitt skolkonto, före dagarna som räknas. Tomt: aldrig.', 'The last day the pupil signed in with their school account, before the days counted. Empty: never.'),
  deniedEvents: c('Nekade starter', 'Refused launches', 'count', 'Starter som läromedlet nekade.', 'Launches the product refused.'),
};

const MONEY_NAME = /(cost|price|saving|sek|amount)/i;
const RATIO_NAME = /(utilisation|adoption|share|ratio)/i;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const MOMENT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/**
 * The words for a column, or, for one without a line in COLUMNS, its key as header and a kind
 * guessed from its name and values (money and ratios by name, days and moments by shape,
 * numbers as numbers): a new column of another report is exported, never refused.
 */
export function columnInfo(key: string, values: unknown[] = []): ColumnWords {
  const known = COLUMNS[key];
  if (known) return known;
  const present = values.filter((v) => v !== null && v !== undefined && v !== '');
  const all = (p: (v: unknown) => boolean) => present.length > 0 && present.every(p);
  let kind: ColumnKind = 'text';
  if (all((v) => typeof v === 'number')) kind = MONEY_NAME.test(key) ? 'money' : RATIO_NAME.test(key) ? 'ratio' : all((v) => Number.isInteger(v)) ? 'count' : 'number';
  else if (all((v) => typeof v === 'boolean')) kind = 'boolean';
  else if (all((v) => typeof v === 'string' && DAY.test(v))) kind = 'date';
  else if (all((v) => typeof v === 'string' && MOMENT.test(v))) kind = 'datetime';
  return { sv: key, en: key, kind, meaningSv: '(ingen förklaring ännu)', meaningEn: '(no explanation yet)' };
}
