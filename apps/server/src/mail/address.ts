import { z } from 'zod';

/**
 * An e-mail address as recipients and senders are written: a bare address (`inkop@kommun.se`),
 * checked with zod's address rule (one @, a dotted domain, no spaces), at most 254 characters.
 */
export const emailAddress = z
  .string()
  .trim()
  .max(254, 'must be at most 254 characters')
  .pipe(z.email({ error: (i) => `is not an e-mail address (got ${JSON.stringify(String(i.input)).slice(0, 60)})` }));

export const isAddress = (s: string) => emailAddress.safeParse(s).success;

/** `Licenskoll <rapporter@kommun.se>` or `rapporter@kommun.se`: the name and the address, or null if it holds none. */
export function parseMailbox(s: string): { name?: string; address: string } | null {
  const m = /^\s*(?:"?([^"<]*?)"?\s*)?<([^<>]+)>\s*$/.exec(s);
  const address = (m ? m[2] : s).trim();
  if (!isAddress(address)) return null;
  const name = m?.[1]?.trim();
  return name ? { name, address } : { address };
}

/** The first e-mail address written inside a text (a buyer written as `Inköp <inkop@kommun.se>`), if any. */
export function addressIn(text: string): string | undefined {
  for (const m of text.matchAll(/[^\s<>(),;:"]+@[^\s<>(),;:"]+/g)) if (isAddress(m[0])) return m[0];
  return undefined;
}
