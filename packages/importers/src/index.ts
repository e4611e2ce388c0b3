import type { EventInput, LicenceInput, ProductInput } from '@licenskoll/core';
import { type PublisherLicenceStatus, parseBolOrders, parseBolSchoolLicences } from './bol.ts';
import { parseCaliper } from './caliper.ts';
import { parseEntraSignIns } from './entra.ts';
import { parseEvents } from './events-csv.ts';
import { type CommonOptions, type ImportInput, openInput } from './input.ts';
import { parseLicencesCsv } from './licences-csv.ts';
import { parseLtiLaunches } from './lti.ts';
import { parseOneRoster } from './oneroster.ts';
import { parseProductsCsv } from './products-csv.ts';
import type { BatchResult, ImportKind, Produces, StreamResult } from './result.ts';
import { parseSatosa } from './satosa.ts';
import { parseShibbolethAudit } from './shibboleth.ts';
import { type Sniffed, kindLabels, sniff } from './sniff.ts';
import type { Ss12000Import } from './ss12000-types.ts';

export * from './result.ts';
export * from './input.ts';
export * from './csv.ts';
export * from './values.ts';
export * from './sniff.ts';
export * from './events.ts';
export * from './events-csv.ts';
export * from './lines.ts';
export * from './json-stream.ts';
export * from './times.ts';
export * from './ss12000-types.ts';
export * from './oneroster.ts';
export * from './licences-csv.ts';
export * from './products-csv.ts';
export * from './bol.ts';
export * from './entra.ts';
export * from './shibboleth.ts';
export * from './satosa.ts';
export * from './lti.ts';
export * from './caliper.ts';
export * from './ss12000-client.ts';

/** What each kind of result carries in `records`. */
export interface ProducedRecord {
  events: EventInput;
  roster: Ss12000Import;
  licences: LicenceInput;
  products: ProductInput;
  'publisher-licence-status': PublisherLicenceStatus;
}

export type AnyImportResult =
  | StreamResult<EventInput>
  | BatchResult<Ss12000Import>
  | BatchResult<LicenceInput>
  | BatchResult<ProductInput>
  | BatchResult<PublisherLicenceStatus>;

/** Options any importer takes; format-specific ones (e.g. `format` for Shibboleth) pass through. */
export type ImportOptions = CommonOptions & Record<string, unknown>;

export interface Importer {
  kind: ImportKind;
  produces: Produces;
  /** For help texts and messages: "a Shibboleth IdP audit log". */
  label: string;
  /** `records` is an async iterable consumed once (events), else an array. */
  streaming: boolean;
  /** File names people will have, for CLI help. */
  typicalFiles: string[];
  parse(input: ImportInput, options?: ImportOptions): Promise<AnyImportResult>;
}

const entry = (kind: ImportKind, produces: Produces, typicalFiles: string[], parse: Importer['parse']): Importer => ({
  kind, produces, label: kindLabels[kind], streaming: produces === 'events', typicalFiles, parse,
});

/**
 * Every importer by the kind named in `POST /v1/import/<kind>` and `licenskoll import <kind>`,
 * so that the route and the CLI stay generic: look up, parse, then hand `records` to the
 * store for `produces`.
 */
export const importers: Record<ImportKind, Importer> = {
  oneroster: entry('oneroster', 'roster', ['oneroster.zip', 'users.csv', 'orgs.csv'], (i, o) => parseOneRoster(i, o)),
  licences: entry('licences', 'licences', ['licenser.csv', 'licences.csv'], (i, o) => parseLicencesCsv(i, o)),
  products: entry('products', 'products', ['produkter.csv', 'products.csv'], (i, o) => parseProductsCsv(i, o)),
  'bol-orders': entry('bol-orders', 'licences', ['ordersvar.json', 'order-response.json'], (i, o) => parseBolOrders(i, o)),
  'bol-school-licences': entry('bol-school-licences', 'publisher-licence-status', ['school-units-licenses.json'], (i, o) => parseBolSchoolLicences(i, o)),
  'entra-signins': entry('entra-signins', 'events', ['signins.json', 'InteractiveSignIns.json', 'PT1H.json'], (i, o) => parseEntraSignIns(i, o)),
  'shibboleth-audit': entry('shibboleth-audit', 'events', ['idp-audit.log', 'idp-audit-2024-09-02.log.gz'], (i, o) => parseShibbolethAudit(i, o)),
  satosa: entry('satosa', 'events', ['custom.log'], (i, o) => parseSatosa(i, o)),
  'lti-launches': entry('lti-launches', 'events', ['launches.ndjson'], (i, o) => parseLtiLaunches(i, o)),
  caliper: entry('caliper', 'events', ['caliper-envelope.json', 'caliper-events.ndjson'], (i, o) => parseCaliper(i, o)),
  events: entry('events', 'events', ['events.csv', 'events.ndjson'], (i, o) => parseEvents(i, o)),
};

export function isImportKind(s: string): s is ImportKind {
  return Object.hasOwn(importers, s);
}

/**
 * Recognise an input and pick its importer: for `licenskoll import auto <file>` and for
 * a route that is given no kind. `kind` is absent when the format has no importer here
 * (SS12000 JSON goes to the roster).
 */
export async function detectImport(input: ImportInput, fileName?: string): Promise<{ sniffed: Sniffed; kind?: ImportKind; input: ImportInput }> {
  const { head, chunks } = await openInput(input);
  const sniffed = sniff(head, fileName);
  // The peeked bytes are replayed: hand `input` on to the importer instead of the original.
  return { sniffed, ...(sniffed.kind ? { kind: sniffed.kind } : {}), input: chunks };
}
