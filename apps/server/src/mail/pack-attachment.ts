import { z } from 'zod';
import type { Storage } from '@licenskoll/storage';
import type { Caller } from '../context.ts';
import { buildRenewalPack } from '../renewal-pack/index.ts';
import type { Attachment, AttachmentChoice, AttachmentProducer, Period, RecipientScope } from './attachments.ts';

/**
 * The renewal pack (PDF or XLSX) as a subscription's attachment. A subscription is made by an
 * admin, so the pack is built with an admin's view and, for a buyer, cut to that buyer's licences
 * by the pack's own `buyer` parameter: counts and sums only, never a pupil.
 */
const MAILER: Caller = { role: 'admin', name: 'Utskick', tokenId: 'subscription', schools: [], groups: [] };

const whole = (max: number, dflt: number) => z.number().int('must be a whole number').min(1, 'must be at least 1').max(max).default(dflt);

const params = z.strictObject(
  {
    within: whole(3660, 90),
    days: whole(3660, 30),
    headroom: z.number().min(0, 'must not be negative').max(10).default(0.1),
    threshold: z.number().min(0, 'must be between 0 and 1').max(1, 'must be between 0 and 1').default(0.5),
  },
  { error: (i) => (i.code === 'unrecognized_keys' ? `${i.keys.join(', ')}: not a parameter of the renewal pack (it takes within, days, headroom, threshold)` : undefined) },
);

const kr = (v: number, lang: 'sv' | 'en') => `${v.toLocaleString(lang === 'sv' ? 'sv-SE' : 'en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} kr`;

export const RENEWAL_PACK_ATTACHMENT: AttachmentProducer = {
  key: 'renewal-pack',
  formats: ['pdf', 'xlsx'],
  scopes: ['organiser', 'buyer'],
  params,
  async produce(storage: Storage, scope: RecipientScope, period: Period, choice: AttachmentChoice): Promise<Attachment> {
    if (choice.format !== 'pdf' && choice.format !== 'xlsx') throw new Error(`the renewal pack is made as pdf or xlsx, not ${choice.format}`);
    const p = params.parse(choice.params);
    const pack = await buildRenewalPack(storage, MAILER, {
      ...p,
      format: choice.format,
      lang: choice.lang,
      timeZone: choice.timeZone,
      asOf: period.asOf,
      today: period.asOf,
      generatedAt: period.at,
      ...(scope.kind === 'buyer' ? { buyer: scope.buyer } : {}),
    });
    const t = pack.figures.totals;
    const summary = choice.lang === 'sv'
      ? [`${t.renewals} licenser slutar inom ${p.within} dagar; möjlig besparing ${kr(t.projectedSaving, 'sv')}, saknas ${kr(t.missingCost, 'sv')}.`,
        `${t.unused} oanvända eller lite använda licenser (${kr(t.unusedCost, 'sv')}); ${t.openFollowups} öppna uppföljningar.`]
      : [`${t.renewals} licences end within ${p.within} days; projected saving ${kr(t.projectedSaving, 'en')}, missing ${kr(t.missingCost, 'en')}.`,
        `${t.unused} unused or underused licences (${kr(t.unusedCost, 'en')}); ${t.openFollowups} open follow-ups.`];
    return { filename: pack.fileName, contentType: pack.contentType, content: pack.body, summary };
  },
};
