import type { Lang } from '../http/csv.ts';

/** The renewal pack's own words (titles, sections, captions); column words are in columns.ts. */
const SV = {
  title: 'Förnyelseunderlag',
  buyer: 'Beställare',
  allBuyers: 'Alla beställare',
  organiser: 'Huvudman',
  asOf: 'Per datum',
  made: 'Skapad',
  periodLabel: 'Licenser som slutar',
  period: '{from} – {to} (inom {within} dagar)',
  unusedLabel: 'Oanvända licenser',
  unusedWindow: 'ingen användning de {days} dagarna till och med {asOf}; underutnyttjad: under {threshold} av platserna används',
  summary: 'Sammanfattning',
  renewals: 'Licenser som slutar inom {within} dagar',
  renewalsLead: 'Högsta användning är flest aktiva med licens under en kalendermånad de tre senaste hela månaderna. Rekommenderade platser är den plus {headroom} marginal.',
  unused: 'Oanvända och underutnyttjade licenser',
  unusedLead: 'Licenser som gäller i dag men som ingen använt de senaste {days} dagarna, eller där färre än {threshold} av platserna används.',
  followups: 'Öppna uppföljningsärenden',
  followupsLead: 'Licenser där den senaste anteckningen i uppföljningen har status öppen.',
  weekly: 'Aktiva med licens per vecka',
  weeklyLead: 'Hur många som använt läromedlet med licensen varje vecka, de {weeks} senaste veckorna. En stapel är en vecka (måndag till söndag).',
  chartCaption: 'Högst {max} (veckan från {week}), senaste veckan {latest}',
  chartsNone: 'Ingen användning under perioden: {list}.',
  explain: 'Vad betyder det här?',
  explainLead: 'Förklaring av begreppen i underlaget, i samma ord som i Licenskoll.',
  none: 'Inget att visa.',
  noRenewals: 'Inga licenser slutar inom {within} dagar.',
  noUnused: 'Inga oanvända eller underutnyttjade licenser.',
  noFollowups: 'Inga öppna uppföljningsärenden.',
  page: 'Sida {i} av {n}',
  partial: 'delvis',
  partialNote: '"delvis": licensen gäller även andra skolenheter; siffrorna gäller era egna elever och kostnaden är er andel.',
  unlimited: 'obegränsat',
  daysLeft: '{n} dagar kvar',
  missingNote: 'Licenser där fler behövs än som köpts: {n} platser saknas, till en kostnad av {cost}.',
  kpiSaving: 'Möjlig besparing vid förnyelse',
  kpiMissing: 'Kostnad för platser som saknas',
  kpiUnused: 'Oanvänd kostnad',
  kpiFollowups: 'Öppna ärenden',
  kpiRenewals: 'Licenser som slutar',
  status_unused: 'Oanvänd',
  status_underused: 'Underutnyttjad',
  status_open: 'Öppen',
  sheetRenewals: 'Förnyelser',
  sheetUnused: 'Oanvända',
  sheetFollowups: 'Uppföljning',
  sheetWeekly: 'Per vecka',
};
export type PackWord = keyof typeof SV;

const EN: Record<PackWord, string> = {
  title: 'Renewal pack',
  buyer: 'Buyer',
  allBuyers: 'All buyers',
  organiser: 'Organiser',
  asOf: 'As of',
  made: 'Made',
  periodLabel: 'Licences ending',
  period: '{from} – {to} (within {within} days)',
  unusedLabel: 'Unused licences',
  unusedWindow: 'no use in the {days} days up to {asOf}; underused: below {threshold} of the seats in use',
  summary: 'Summary',
  renewals: 'Licences ending within {within} days',
  renewalsLead: 'Peak use is the most licensed active users in one calendar month of the last three full months. Recommended seats are that plus {headroom} headroom.',
  unused: 'Unused and underused licences',
  unusedLead: 'Licences in force today that nobody used in the last {days} days, or where fewer than {threshold} of the seats are used.',
  followups: 'Open follow-ups',
  followupsLead: 'Licences whose latest follow-up note has the status open.',
  weekly: 'Licensed active users per week',
  weeklyLead: 'How many used the product under the licence each week, for the last {weeks} weeks. One bar is one week (Monday to Sunday).',
  chartCaption: 'Highest {max} (week of {week}), last week {latest}',
  chartsNone: 'No use in the period: {list}.',
  explain: 'What does this mean?',
  explainLead: 'The terms of this pack explained, in the same words as in Licenskoll.',
  none: 'Nothing to show.',
  noRenewals: 'No licence ends within {within} days.',
  noUnused: 'No unused or underused licences.',
  noFollowups: 'No open follow-ups.',
  page: 'Page {i} of {n}',
  partial: 'partly',
  partialNote: '"partly": the licence also covers other schools; the figures are your own pupils\' and the cost your share.',
  unlimited: 'unlimited',
  daysLeft: '{n} days left',
  missingNote: 'Licences needing more seats than were bought: {n} seats missing, costing {cost}.',
  kpiSaving: 'Possible saving at renewal',
  kpiMissing: 'Cost of missing seats',
  kpiUnused: 'Unused cost',
  kpiFollowups: 'Open follow-ups',
  kpiRenewals: 'Licences ending',
  status_unused: 'Unused',
  status_underused: 'Underused',
  status_open: 'Open',
  sheetRenewals: 'Renewals',
  sheetUnused: 'Unused',
  sheetFollowups: 'Follow-ups',
  sheetWeekly: 'Per week',
};

export type PackWords = (key: PackWord, vars?: Record<string, string | number>) => string;

export function packWords(lang: Lang): PackWords {
  const dict = lang === 'sv' ? SV : EN;
  return (key, vars = {}) => dict[key].replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? `{${k}}`));
}

/** A status value of a row in the reader's words (unused, underused, open). */
export function statusText(words: PackWords, status: string): string {
  const key = `status_${status}` as PackWord;
  return key in SV ? words(key) : status;
}
