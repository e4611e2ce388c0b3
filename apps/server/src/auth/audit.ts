import type { Context } from 'hono';
import { chTime } from '@licenskoll/core';
import { queryRows, type Storage } from '@licenskoll/storage';
import type { Caller } from '../context.ts';

/**
 * The audit log: who read or exported what, when. One row per report, export, licence and
 * follow-up read, administration and privacy request, and sign-in; written before the answer
 * leaves (group commit: concurrent requests share one insert). If the row cannot be written
 * the request fails with 503: nothing is read without a record. Scheduled e-mail adds a row
 * per mail sent or refused (mail/outbox.ts, role `system`, via `mail`).
 */

export interface AuditRow {
  at: string;
  actor_id: string;
  actor: string;
  role: string;
  via: string;
  schools: string[];
  groups: string[];
  method: string;
  action: string;
  path: string;
  params: string;
  status: number;
  rows: number;
}

declare module 'hono' {
  interface ContextVariableMap {
    /** Rows in the answer, for the audit log (-1 when not a list). */
    auditRows: number;
    /** Parameters to log instead of the query string (privacy requests log the pseudonym, never the identifier). */
    auditParams: Record<string, unknown>;
  }
}

export class AuditLog {
  private buf: AuditRow[] = [];
  private next: Promise<void> | null = null;
  private running: Promise<void> | null = null;

  constructor(private readonly storage: Storage) {}

  append(row: AuditRow): Promise<void> {
    this.buf.push(row);
    this.next ??= this.flush();
    return this.next;
  }

  private async flush(): Promise<void> {
    await this.running?.catch(() => undefined);
    const rows = this.buf;
    this.buf = [];
    this.next = null;
    const p = this.storage.write.insert({ table: 'audit_log', values: rows, format: 'JSONEachRow' }).then(() => undefined);
    this.running = p;
    await p;
  }
}

/**
 * What a request is, for the log; null for requests not logged: ingest (volume; its effect is
 * the data), `/me`, and the organisation/group/product lists (no personal data).
 */
export function auditAction(method: string, path: string, format?: string): string | null {
  const p = path.replace(/^\/v1/, '');
  const m = method.toUpperCase();
  if (p.startsWith('/bol/')) return `${format === 'csv' ? 'export' : 'report'}.bol`;
  if (p.startsWith('/reports/')) return `${format === 'csv' ? 'export' : 'report'}.${p.slice('/reports/'.length).split('/')[0]}`;
  if (p === '/audit') return 'audit.read';
  if (p === '/region-view') return 'report.region-view';
  if (p === '/peers') return 'report.peers';
  if (p === '/peers/settings' && m !== 'GET') return 'peers.setting';
  if (p === '/sign-in/oidc' && m !== 'GET') return m === 'DELETE' ? 'signin.settings.delete' : 'signin.settings.write';
  if (p.startsWith('/privacy/')) return `privacy.${p.slice('/privacy/'.length).split('/')[0]}`;
  if (p.startsWith('/tokens')) return m === 'GET' ? 'token.list' : m === 'DELETE' ? 'token.revoke' : 'token.issue';
  if (/^\/(licences|products)\/[^/]+\/target$/.test(p) && m !== 'GET') return `${p.startsWith('/licences') ? 'licence' : 'product'}.target`;
  if (/^\/licences\/[^/]+\/forvaltning$/.test(p) && m !== 'GET') return 'licence.forvaltning';
  if (p.startsWith('/buyers')) return m === 'GET' ? 'buyer.read' : 'buyer.forvaltning';
  if (p.startsWith('/licences')) return m === 'GET' ? 'licence.read' : `licence.${m === 'DELETE' ? 'delete' : 'write'}`;
  if (p.startsWith('/followups')) return m === 'GET' ? 'followup.read' : 'followup.add';
  if (p.startsWith('/import/')) return `import.${p.slice('/import/'.length).split('/')[0]}`;
  if (p.startsWith('/products') && m !== 'GET') return 'product.write';
  if (p.startsWith('/subscriptions')) {
    if (/\/send-now$/.test(p)) return 'subscription.try';
    if (/\/file$/.test(p)) return 'export.subscription';
    return m === 'GET' ? 'subscription.read' : m === 'DELETE' ? 'subscription.delete' : m === 'PUT' ? 'subscription.write' : 'subscription.add';
  }
  return null;
}

const safeDecode = (v: string) => {
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
};

const clip = (v: string, n = 300) => (v.length > n ? `${v.slice(0, n)}…` : v);

/** Who acted: a caller, or (a refused sign-in) someone without a role. */
export type Actor = Pick<Caller, 'tokenId' | 'name' | 'schools' | 'groups'> & { role: string };

export function auditRow(c: Context, caller: Actor, via: string, action: string, status: number): AuditRow {
  let params: Record<string, unknown> | undefined = c.get('auditParams');
  if (!params) {
    params = {};
    for (const [k, v] of Object.entries(c.req.queries())) params[clip(k, 50)] = v.length === 1 ? clip(v[0]) : v.slice(0, 20).map((x) => clip(x));
    // The id of the thing acted on (`/v1/licences/:id`, `/v1/tokens/:id`): part of what was done.
    const [, v1, resource, ...rest] = c.req.path.split('/');
    if (v1 === 'v1' && ['licences', 'tokens', 'products', 'subscriptions'].includes(resource) && rest.length) {
      params.id = clip(safeDecode(rest.join('/')));
    }
  }
  const rows = c.get('auditRows');
  return {
    at: chTime(new Date()),
    actor_id: caller.tokenId,
    actor: caller.name,
    role: caller.role,
    via,
    schools: caller.schools,
    groups: caller.groups,
    method: c.req.method,
    action,
    path: clip(c.req.path, 200),
    params: JSON.stringify(params),
    status,
    rows: typeof rows === 'number' ? rows : -1,
  };
}

export interface AuditQuery {
  from?: string;
  to?: string;
  actor?: string;
  action?: string;
  limit: number;
}

export async function readAudit(storage: Storage, q: AuditQuery) {
  const rows = await queryRows<Record<string, unknown>>(
    storage.read,
    `SELECT formatDateTime(at, '%Y-%m-%dT%H:%i:%S.%fZ', 'UTC') AS at_iso, actor_id AS actorId, actor, role, via, schools, groups, method,
            action, path, params, status, rows
     FROM audit_log
     WHERE toDate(at) >= {from:Date} AND toDate(at) <= {to:Date}
       AND ({actor:String} = '' OR actor_id = {actor:String} OR actor = {actor:String})
       AND ({action:String} = '' OR action = {action:String} OR startsWith(action, concat({action:String}, '.')))
     ORDER BY at DESC, actor_id
     LIMIT {limit:UInt32}`,
    { from: q.from ?? '1970-01-01', to: q.to ?? '2149-06-06', actor: q.actor ?? '', action: q.action ?? '', limit: q.limit },
    ['status', 'rows'],
  );
  return rows.map(({ at_iso, ...r }) => {
    let params: unknown = r.params;
    try {
      params = JSON.parse(String(r.params));
    } catch {
      /* kept as text */
    }
    return { at: at_iso, ...r, params };
  });
}
