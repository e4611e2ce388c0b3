import { normaliseHeader } from './csv.ts';

/** The target (målgrupp) columns licences and products share: see target-cells.ts. */
const TARGET_HEADERS = {
  schoolTypes: ['skolform', 'skolformer', 'school form', 'school forms', 'school type', 'schooltype'],
  years: ['årskurs', 'årskurser', 'arskurs', 'åk', 'years', 'school year', 'school years', 'grades'],
  subjects: ['ämne', 'ämnen', 'amne', 'kurs', 'kurser', 'subject', 'subjects', 'course', 'courses'],
  dutyRoles: ['befattning', 'befattningar', 'personalgrupp', 'personalgrupper', 'duty role', 'duty roles', 'staff groups'],
} as const;

/**
 * Column names for the licence and product sheets, Swedish and English, as people type
 * them. Kept apart from the importers so that sniffing can recognise a sheet without
 * importing the importer.
 */
export const LICENCE_HEADERS = {
  id: ['id', 'licence id', 'license id', 'licens id', 'licensid', 'licence ref'],
  product: ['product', 'produkt', 'product id', 'produkt id', 'produktid', 'läromedel', 'artikel', 'artikelnummer', 'article number'],
  seats: ['seats', 'antal licenser', 'platser', 'antal platser', 'antal', 'licenser', 'quantity', 'number of licences', 'number of licenses'],
  scopeType: ['scope type', 'scope', 'omfattning', 'omfattningstyp', 'omfattning typ'],
  scopeIds: ['scope ids', 'scope id', 'omfattning id', 'omfattning ids', 'omfattningsid', 'omfattnings id'],
  audience: ['audience', 'målgrupp', 'malgrupp'],
  start: ['start', 'startdatum', 'start date', 'från', 'from', 'giltig från', 'valid from', 'fr o m', 'fr.o.m'],
  end: ['end', 'slutdatum', 'end date', 'till', 'to', 'giltig till', 'valid to', 't o m', 't.o.m', 'slut'],
  price: ['price', 'pris', 'kostnad', 'cost', 'belopp', 'totalpris', 'total price', 'amount'],
  currency: ['currency', 'valuta'],
  buyer: ['buyer', 'beställare', 'köpare', 'bestallare', 'kopare', 'purchaser', 'ansvarig'],
  orderRef: ['order ref', 'orderref', 'ordernummer', 'order number', 'order reference', 'order', 'ordernr', 'referens', 'order nr'],
  forvaltning: ['förvaltning', 'forvaltning', 'administration', 'department'],
  // The region's framework agreement the licence is a call-off (avrop) of. Not a bare "Avtal"
  // or "Agreement": sheets use those for the supplier's own contract number, which names no
  // agreement of the region and would have every row refused.
  agreement: ['ramavtal', 'ramavtals id', 'ramavtalsid', 'ramavtal id', 'avrop från ramavtal', 'framework agreement', 'framework agreement id'],
  ...TARGET_HEADERS,
} as const;
export type LicenceColumn = keyof typeof LICENCE_HEADERS;

export const PRODUCT_HEADERS = {
  id: ['id', 'product id', 'produkt id', 'produktid'],
  name: ['name', 'namn', 'produktnamn', 'product name', 'läromedel', 'titel', 'title'],
  supplier: ['supplier', 'leverantör', 'leverantor', 'förlag', 'forlag', 'publisher', 'vendor'],
  identifiers: ['identifiers', 'identifierare', 'identifier', 'identifierare (|)', 'ids', 'alias', 'aliases'],
  ...TARGET_HEADERS,
} as const;
export type ProductColumn = keyof typeof PRODUCT_HEADERS;

/**
 * Extra product columns that each hold one more identifier: a sheet with an `entityID` and
 * an `LTI client_id` column should not need them folded into one cell by hand.
 */
export const PRODUCT_IDENTIFIER_COLUMNS = [
  'entityid', 'entity id', 'saml entityid', 'saml entity id', 'sp', 'client id', 'lti client id', 'client_id',
  'app id', 'appid', 'entra app id', 'application id', 'url', 'host', 'artikelnummer', 'article number', 'portal code',
  'produktkod', 'product code',
].map(normaliseHeader);

/** Column index per logical column, by normalised header; `undefined` when absent. */
export function mapHeaders<K extends string>(headers: string[], aliases: Record<K, readonly string[]>): Partial<Record<K, number>> {
  const norm = headers.map(normaliseHeader);
  const out: Partial<Record<K, number>> = {};
  for (const key of Object.keys(aliases) as K[]) {
    const wanted = aliases[key].map(normaliseHeader);
    const at = norm.findIndex((h) => wanted.includes(h));
    if (at >= 0) out[key] = at;
  }
  return out;
}

/** The target columns of both sheets. */
export const TARGET_COLUMN_KEYS = ['schoolTypes', 'years', 'subjects', 'dutyRoles'] as const;
export type TargetColumn = (typeof TARGET_COLUMN_KEYS)[number];

/**
 * Columns of a sign-in CSV: the Entra admin centre's download (English labels, or
 * Swedish when the portal is), and a Log Analytics / Sentinel `SigninLogs` export
 * (PascalCase table columns, `TimeGenerated [UTC]` when exported from the portal).
 * Matched by name, never by position: Microsoft adds columns to the download often.
 */
export const ENTRA_SIGNIN_HEADERS = {
  // When the sign-in happened; preferred to `time`, which in Log Analytics is when the row was ingested.
  createdTime: ['createddatetime', 'createddatetime [utc]'],
  time: ['date (utc)', 'date', 'datum (utc)', 'datum', 'timegenerated', 'timegenerated [utc]'],
  id: ['request id', 'begärande-id', 'begäran-id', 'förfrågnings-id', 'id'],
  userName: ['username', 'userprincipalname', 'user principal name', 'användarnamn', 'upn'],
  userId: ['user id', 'userid', 'användar-id'],
  appId: ['application id', 'appid', 'app id', 'program-id', 'programid', 'app-id', 'applikations-id'],
  appName: ['application', 'appdisplayname', 'program', 'applikation'],
  status: ['status'],
  errorCode: ['sign-in error code', 'resulttype', 'error code', 'felkod för inloggning', 'inloggningsfelkod', 'felkod'],
  interactive: ['isinteractive', 'interaktiv'],
  category: ['category', 'kategori'],
  servicePrincipal: ['service principal id', 'serviceprincipalid', 'tjänsthuvudnamns-id'],
} as const;
export type EntraSigninColumn = keyof typeof ENTRA_SIGNIN_HEADERS;

/** Headers only the Swedish admin centre writes: to name the variant. */
export const ENTRA_SWEDISH_HEADERS = ['datum (utc)', 'begärande-id', 'användarnamn', 'användar-id', 'program-id', 'felkod för inloggning'].map(normaliseHeader);
