import type { PublisherLicenceStatus } from '@licenskoll/importers';
import { chTime } from '@licenskoll/core';
import { nextVersion, queryRows, type Storage } from '@licenskoll/storage';

/** A publisher's own figure for one article at one school, as the BOL importer reads it. */
export type PublisherLicenceRecord = PublisherLicenceStatus;

export async function storePublisherLicences(storage: Storage, records: PublisherLicenceRecord[]): Promise<void> {
  if (!records.length) return;
  const version = nextVersion();
  const at = chTime(Date.now());
  await storage.write.insert({
    table: 'publisher_licences',
    values: records.map((r) => ({
      service_provider: r.serviceProviderId ?? '', school_id_source: r.school.idSource, school_id: r.school.id,
      article_number: r.articleNumber, article_name: r.articleName, total: r.totalLicenses, assigned: r.assignedLicenses,
      unassigned: r.unassignedLicenses, used: r.usedLicenses ?? null, reported_at: at, version,
    })),
    format: 'JSONEachRow',
  });
}

export interface PublisherFigure {
  schoolIdSource: string;
  schoolId: string;
  articleNumber: string;
  articleName: string;
  total: number;
  assigned: number;
  unassigned: number;
  used: number | null;
  reportedAt: string;
  /** The organisation node the school id names, when the roster knows it. */
  unit: string;
}

/** The latest publisher figures, each school resolved to a unit of the roster (by id or school unit code). */
export async function listPublisherLicences(storage: Storage): Promise<PublisherFigure[]> {
  return queryRows<PublisherFigure>(
    storage.read,
    `SELECT p.school_id_source AS schoolIdSource, p.school_id AS schoolId, p.article_number AS articleNumber,
            p.article_name AS articleName, p.total AS total, p.assigned AS assigned, p.unassigned AS unassigned, p.used AS used,
            formatDateTime(p.reported_at, '%Y-%m-%dT%H:%i:%SZ', 'UTC') AS reportedAt, c.unit AS unit
     FROM (SELECT * FROM publisher_licences FINAL) AS p
     LEFT JOIN (SELECT ref, any(unit) AS unit FROM org_closure WHERE depth = 0 GROUP BY ref) AS c ON c.ref = p.school_id
     ORDER BY schoolId, articleNumber`,
    {},
    ['total', 'assigned', 'unassigned', 'used'],
  );
}
