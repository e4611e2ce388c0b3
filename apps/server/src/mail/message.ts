import { createHash } from 'node:crypto';
import type Mail from 'nodemailer/lib/mailer';
import type { Attachment, Period } from './attachments.ts';
import { reportTitle } from './report-attachments.ts';
import type { SmtpSettings } from './smtp-settings.ts';
import type { Subscription } from './subscriptions.ts';

/**
 * The Message-ID of a period's mail to one recipient: the same on every try, so a mail sent
 * again after a crash (docs/email.md, "Sent once") is recognisable as the same message.
 */
export function messageIdFor(subscription: string, period: string, recipient: string, buyer: string, s: SmtpSettings): string {
  const h = createHash('sha256').update(`${subscription}\u0000${period}\u0000${recipient.toLowerCase()}\u0000${buyer}`).digest('hex').slice(0, 32);
  return `<${h}.licenskoll@${s.from.address.split('@')[1]}>`;
}

export interface MessageInput {
  subscription: Subscription;
  period: Period;
  to: string;
  buyer: string;
  attachment: Attachment;
  messageId: string;
  /** A try from "send now to me": said so in the subject. */
  trial?: boolean;
}

/** The mail: a short text in the subscription's language with the counts, and the report attached. */
export function composeMessage(m: MessageInput, s: SmtpSettings): Mail.Options {
  const sv = m.subscription.lang === 'sv';
  const title = reportTitle(m.subscription.report, m.subscription.lang);
  const lines = [
    sv ? 'Hej!' : 'Hello,',
    '',
    sv
      ? `Här är ${title.toLowerCase()} per ${m.period.asOf}${m.buyer ? ` för ${m.buyer}` : ''}, i den bifogade filen.`
      : `Attached is the report "${title}" as of ${m.period.asOf}${m.buyer ? ` for ${m.buyer}` : ''}.`,
    '',
    ...m.attachment.summary,
    '',
    sv
      ? 'Filen innehåller antal och belopp per licens eller läromedel, inga uppgifter om enskilda elever.'
      : 'The file holds counts and amounts per licence or product, nothing about individual pupils.',
    sv
      ? `Du får det här utskicket genom prenumerationen "${m.subscription.name}" i Licenskoll. Administratören kan ändra eller avsluta den.`
      : `You get this through the subscription "${m.subscription.name}" in Licenskoll. The administrator can change or end it.`,
  ];
  return {
    from: s.from.name ? { name: s.from.name, address: s.from.address } : s.from.address,
    to: m.to,
    subject: `${m.trial ? (sv ? '[Prov] ' : '[Trial] ') : ''}Licenskoll: ${title}, ${m.period.asOf}`,
    text: `${lines.join('\n')}\n`,
    messageId: m.messageId,
    headers: {
      'Auto-Submitted': 'auto-generated',
      'X-Licenskoll-Subscription': m.subscription.id,
      'X-Licenskoll-Period': m.period.key,
    },
    attachments: [{ filename: m.attachment.filename, content: m.attachment.content, contentType: m.attachment.contentType }],
  };
}
