import type { FlagKind, FlagNumber } from './flag-rules.ts';

/**
 * Each flag's reason in plain Swedish and in English, from its numbers: one sentence of what
 * was found and one of what to look at. Numbers are written as a reader writes them (per
 * cent rounded, money in whole kronor).
 */

const pct = (x: FlagNumber) => `${Math.round(Number(x) * 100)} %`;
const kr = (x: FlagNumber, lang: 'sv' | 'en') =>
  lang === 'sv' ? `${Math.round(Number(x)).toLocaleString('sv-SE')} kr` : `SEK ${Math.round(Number(x)).toLocaleString('en-GB')}`;
const num = (x: FlagNumber, lang: 'sv' | 'en') => {
  const n = Number(x);
  const r = Math.round(n * 10) / 10;
  return lang === 'sv' ? r.toLocaleString('sv-SE') : r.toLocaleString('en-GB');
};
const list = (x: FlagNumber) => (Array.isArray(x) ? x.join(', ') : String(x));

export function flagWords(flag: FlagKind, n: Record<string, FlagNumber>): { sv: string; en: string } {
  switch (flag) {
    case 'never-used':
      return {
        sv: `Ingen har använt licensen under de ${n.daysSinceStart} dagar den har gällt (efter ${n.graceDays} dagars startperiod). Fråga beställaren om den behövs.`,
        en: `Nobody has used the licence in the ${n.daysSinceStart} days since it started (after a ${n.graceDays}-day grace period). Ask the buyer whether it is needed.`,
      };
    case 'low-utilisation': {
      const forSv = n.targetSize === null ? '' : ` för ${n.targetSize} i målgruppen`;
      const forEn = n.targetSize === null ? '' : ` for ${n.targetSize} in its target`;
      return {
        sv: `${n.licensedActive} använde licensen de senaste ${n.days} dagarna, av ${n.seats} platser${forSv}: ${pct(n.utilisation)}, gränsen är ${pct(n.threshold)}. ${n.unusedSeats} platser står oanvända.`,
        en: `${n.licensedActive} used the licence in the last ${n.days} days, of ${n.seats} seats${forEn}: ${pct(n.utilisation)}, the limit is ${pct(n.threshold)}. ${n.unusedSeats} seats are unused.`,
      };
    }
    case 'concentrated':
      return {
        sv: `${pct(n.topShare)} av de ${n.licensedActive} som använde licensen de senaste ${n.days} dagarna finns på två av ${n.schools} skolenheter, där ${n.audienceAtTop} av de ${n.audience} som licensen gäller för går. En licens för bara de skolorna kan räcka.`,
        en: `${pct(n.topShare)} of the ${n.licensedActive} who used the licence in the last ${n.days} days are at two of ${n.schools} school units, which hold ${n.audienceAtTop} of the ${n.audience} it is for. A licence for those schools alone may do.`,
      };
    case 'falling':
      return {
        sv: `Användningen har sjunkit från ${num(n.before, 'sv')} till ${num(n.last, 'sv')} personer i veckan (${pct(n.change)}), de fyra senaste skolveckorna mot de fyra före. Lovveckor räknas inte.`,
        en: `Use fell from ${num(n.before, 'en')} to ${num(n.last, 'en')} persons a week (${pct(n.change)}), the last four school weeks against the four before. Holiday weeks do not count.`,
      };
    case 'expensive':
      return {
        sv: `Licensen kostar ${kr(n.costPerActiveUser, 'sv')} per aktiv användare, ${num(n.ratio, 'sv')} gånger medianen ${kr(n.median, 'sv')} för ${n.peers} läromedel med samma skolform och årskurser.`,
        en: `The licence costs ${kr(n.costPerActiveUser, 'en')} per active user, ${num(n.ratio, 'en')} times the median ${kr(n.median, 'en')} of ${n.peers} products for the same school form and years.`,
      };
    case 'overlap':
      return {
        sv: `Används i ${n.classes} ${n.classes === 1 ? 'klass' : 'klasser'} där även ${n.otherProduct} används, för samma ämne (${list(n.subjects)}) och årskurser. Behövs båda?`,
        en: `Used in ${n.classes} ${n.classes === 1 ? 'class' : 'classes'} where ${n.otherProduct} is used too, for the same subject (${list(n.subjects)}) and years. Are both needed?`,
      };
  }
}
