import type { Ss12000Import } from './ss12000-schemas.ts';

type Kind = keyof Ss12000Import;

/** Which SS12000 resource a list holds, from the fields only that resource requires. */
export function resourceOf(item: unknown): Kind | undefined {
  if (!item || typeof item !== 'object') return undefined;
  const o = item as Record<string, unknown>;
  if ('organisationType' in o) return 'organisations';
  if ('groupType' in o) return 'groups';
  if ('dutyRole' in o || 'dutyAt' in o) return 'duties';
  if ('givenName' in o || 'familyName' in o || 'eduPersonPrincipalNames' in o || 'enrolments' in o) return 'persons';
  return undefined;
}

/**
 * A body that is one SS12000 page as the API returns it (`{"data": [...], "pageToken"}`), so a
 * saved `GET /persons` response can be posted as it is. Undefined when it is not such a page
 * or its objects are not recognised.
 */
export function importFromPage(body: Record<string, unknown>): Ss12000Import | undefined {
  if (!Array.isArray(body.data) || Object.keys(body).some((k) => k !== 'data' && k !== 'pageToken')) return undefined;
  const kind = body.data.length ? resourceOf(body.data[0]) : undefined;
  return kind ? { [kind]: body.data } : undefined;
}
