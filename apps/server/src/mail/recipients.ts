import { addDays } from '@licenskoll/core';
import type { Storage } from '@licenskoll/storage';
import { getLicences } from '@licenskoll/licensing';
import { addressIn } from './address.ts';
import type { Period, RecipientScope } from './attachments.ts';
import type { Subscription } from './subscriptions.ts';

export interface Recipient {
  address: string;
  /** The buyer whose licences the mail holds; '' for the organiser's figures. */
  buyer: string;
  scope: RecipientScope;
}

export interface Recipients {
  recipients: Recipient[];
  /** Buyers of licences ending soon with no address: named in the subscription's status, never dropped silently. */
  withoutAddress: string[];
}

/**
 * Who gets a period's mail. Addresses: each once, with the organiser's figures. Buyers: every
 * buyer of a licence ending within `within` days of the period's day, each with their own
 * licences only, at the address the subscription gives for them or one written in the buyer's
 * name (`Inköp <inkop@kommun.se>`).
 */
export async function recipientsOf(storage: Storage, s: Subscription, period: Period): Promise<Recipients> {
  const r = s.recipients;
  if (r.kind === 'addresses') {
    const seen = new Set<string>();
    const recipients: Recipient[] = [];
    for (const a of r.addresses) {
      if (seen.has(a.toLowerCase())) continue;
      seen.add(a.toLowerCase());
      recipients.push({ address: a, buyer: '', scope: { kind: 'organiser' } });
    }
    return { recipients, withoutAddress: [] };
  }
  const horizon = addDays(period.asOf, r.within);
  const buyers = [...new Set((await getLicences(storage)).filter((l) => l.end >= period.asOf && l.end <= horizon).map((l) => l.buyer))].sort();
  const recipients: Recipient[] = [];
  const withoutAddress: string[] = [];
  for (const buyer of buyers) {
    const address = r.addresses[buyer] ?? addressIn(buyer);
    if (address) recipients.push({ address, buyer, scope: { kind: 'buyer', buyer } });
    else withoutAddress.push(buyer);
  }
  return { recipients, withoutAddress };
}
