import { z } from 'zod';
import { agreementId, chTime, isoDate } from '@licenskoll/core';
import type { AgreementTerms } from '@licenskoll/reports';
import { nextVersion, queryRows, type Storage } from '@licenskoll/storage';

/** A framework agreement (ramavtal) as the region's registry holds it (schema-region.ts, `agreements`): figure 27. */
export interface Agreement extends AgreementTerms {
  /** The participating organisers: only their licences may be call-offs of it. */
  organisers: string[];
  created: string;
}

const terms = {
  name: z.string().trim().min(1, 'is required').max(200),
  product: z.string().trim().min(1, 'is required').max(100),
  supplier: z.string().trim().max(300).default(''),
  pricePerSeat: z.number().min(0, 'must not be negative').max(1e9),
  currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as SEK').default('SEK'),
  start: isoDate,
  end: isoDate,
  // Each must be a registered organiser: checked against the registry (agreements.ts).
  organisers: z.array(z.string().trim().min(1).max(40)).min(1, 'needs at least one organiser').max(1000),
};
const message = 'is not a field of an agreement';
const endAfterStart = { message: 'must not be before start', path: ['end'] };

/** A new agreement (`POST /v1/region/agreements`); whether its organisers exist is checked against the registry. */
export const agreementInput = z.strictObject({ id: agreementId, ...terms }, { message }).refine((a) => a.start <= a.end, endAfterStart);
/** An agreement's terms and participants, replaced whole (`PUT /v1/region/agreements/:id`). */
export const agreementChange = z.strictObject(terms, { message }).refine((a) => a.start <= a.end, endAfterStart);
export type AgreementInput = z.infer<typeof agreementInput>;

/**
 * The agreements, or one (`id`), or those an organiser takes part in (`participant`). Read from
 * the writing client, like the organisers: a licence written just after its agreement finds it.
 */
export async function listAgreements(region: Storage, o: { id?: string; participant?: string } = {}): Promise<Agreement[]> {
  const rows = await queryRows<{
    id: string; name: string; product: string; supplier: string; price_per_seat: number; currency: string; start: string; end: string; organisers: string[]; created: string;
  }>(
    region.write,
    `SELECT id, name, product, supplier, price_per_seat, currency, toString(start) AS start, toString(end) AS end, organisers,
            formatDateTime(created, '%Y-%m-%dT%H:%i:%SZ', 'UTC') AS created
     FROM agreements FINAL
     WHERE ({id:String} = '' OR id = {id:String}) AND ({participant:String} = '' OR has(organisers, {participant:String}))
     ORDER BY start, id`,
    { id: o.id ?? '', participant: o.participant ?? '' },
    ['price_per_seat'],
  );
  return rows.map((r) => ({
    id: r.id, name: r.name, product: r.product, supplier: r.supplier, pricePerSeat: Number(r.price_per_seat), currency: r.currency,
    start: r.start, end: r.end, organisers: r.organisers, created: r.created,
  }));
}

/** Writes an agreement's version (a new one, or its terms replaced). */
export async function storeAgreement(region: Storage, a: Agreement): Promise<void> {
  await region.write.insert({
    table: 'agreements',
    values: [{
      id: a.id, name: a.name, product: a.product, supplier: a.supplier, price_per_seat: a.pricePerSeat, currency: a.currency,
      start: a.start, end: a.end, organisers: a.organisers, created: chTime(Date.parse(a.created)), version: nextVersion(),
    }],
    format: 'JSONEachRow',
  });
}

/** What an organiser may know of an agreement it takes part in: its terms, not who else does. */
export const termsOf = ({ organisers: _o, created: _c, ...t }: Agreement): AgreementTerms => t;
