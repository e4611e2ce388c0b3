import type { z } from 'zod';
import type { Storage } from '@licenskoll/storage';
import type { Lang } from '../http/csv.ts';
import { RENEWAL_PACK_ATTACHMENT } from './pack-attachment.ts';
import { REPORT_ATTACHMENTS } from './report-attachments.ts';

/**
 * What a subscription sends: a small registry of attachment producers, one per report kind.
 * A producer turns (storage, recipient scope, period) into one file: the report tables
 * (report-attachments.ts) and the renewal pack as PDF or XLSX (pack-attachment.ts).
 */

/** Whose figures a mail holds: the organiser's (addresses the admin chose) or one buyer's licences only. */
export type RecipientScope = { kind: 'organiser' } | { kind: 'buyer'; buyer: string };

/** One occurrence of a schedule: its key (the wall-clock minute or second it fell due), its day, its instant. */
export interface Period {
  key: string;
  /** The organiser's calendar day of the occurrence: the reports' "as of". */
  asOf: string;
  at: Date;
}

export const ATTACHMENT_FORMATS = ['xlsx', 'csv', 'csv-excel', 'pdf'] as const;
export type AttachmentFormat = (typeof ATTACHMENT_FORMATS)[number];

export interface AttachmentChoice {
  format: AttachmentFormat;
  lang: Lang;
  timeZone: string;
  /** The producer's own parameters, as its `params` schema parsed them. */
  params: Record<string, unknown>;
}

export interface Attachment {
  filename: string;
  contentType: string;
  content: Buffer;
  /** For the mail's text: what the file holds, in the reader's language (counts and sums only). */
  summary: string[];
}

export interface AttachmentProducer {
  /** The report kind a subscription names. */
  key: string;
  formats: readonly AttachmentFormat[];
  /** `buyer`: can be cut to one buyer's licences, so it may go to every buyer of licences ending soon. */
  scopes: readonly RecipientScope['kind'][];
  /** The producer's parameters, with their defaults (a subscription's `params`). */
  params: z.ZodObject;
  produce(storage: Storage, scope: RecipientScope, period: Period, choice: AttachmentChoice): Promise<Attachment>;
}

/** Every report kind a subscription may name. */
const PRODUCERS: readonly AttachmentProducer[] = [...REPORT_ATTACHMENTS, RENEWAL_PACK_ATTACHMENT];

export const attachmentProducer = (key: string): AttachmentProducer | undefined => PRODUCERS.find((p) => p.key === key);
export const attachmentProducers = (): readonly AttachmentProducer[] => PRODUCERS;
