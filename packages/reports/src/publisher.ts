import type { Storage } from '@licenskoll/storage';
import { listPublisherLicences } from '@licenskoll/licensing';
import { productNames, type LicenceRow } from './licence-figures.ts';

export interface PublisherSays {
  total: number;
  assigned: number;
  /** "opened at least once" by the publisher's own measure; null when the publisher does not say. */
  used: number | null;
  reportedAt: string;
  /**
   * Why the two figures may differ: the publisher counts anyone who ever opened the article
   * (also before the period, also pupils who have left), Licenskoll counts distinct entitled
   * persons with a day of use in the window, each day attributed to one licence.
   */
  note: string;
}

const NOTE = 'publisher counts users who ever opened it; Licenskoll counts entitled users active in the period';

/**
 * The publisher's own figure beside a school-scoped licence: the BOL status of the same
 * article (resolved like any product identifier) at the licence's school units.
 */
export async function withPublisherFigures<T extends LicenceRow>(storage: Storage, rows: T[]): Promise<(T & { publisher: PublisherSays | null })[]> {
  const [figures, names] = await Promise.all([listPublisherLicences(storage), productNames(storage)]);
  if (!figures.length) return rows.map((r) => ({ ...r, publisher: null }));
  return rows.map((r) => {
    if (r.scope.type !== 'school') return { ...r, publisher: null };
    const match = figures.filter(
      (f) => names.resolve(f.articleNumber) === r.product && (r.scope.ids.includes(f.schoolId) || (f.unit !== '' && r.scope.ids.includes(f.unit))),
    );
    if (!match.length) return { ...r, publisher: null };
    const used = match.every((m) => m.used === null) ? null : match.reduce((a, m) => a + (m.used ?? 0), 0);
    return {
      ...r,
      publisher: {
        total: match.reduce((a, m) => a + m.total, 0),
        assigned: match.reduce((a, m) => a + m.assigned, 0),
        used,
        reportedAt: match.map((m) => m.reportedAt).sort().at(-1)!,
        note: NOTE,
      },
    };
  });
}
