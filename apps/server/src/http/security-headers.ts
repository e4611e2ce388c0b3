import type { MiddlewareHandler } from 'hono';

const CSP = [
  "default-src 'self'", "script-src 'self'", "style-src 'self' 'unsafe-inline'", "img-src 'self' data:", "connect-src 'self'", "frame-ancestors 'none'",
].join('; ');

/** Headers every answer carries, page or API. */
const COMMON = {
  'cross-origin-resource-policy': 'same-origin',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=15552000; includeSubDomains',
  'x-content-type-options': 'nosniff',
} as const;

/**
 * The headers of the dashboard's pages: its content security policy and the usual hardening
 * of a document (the set of Hono's `secureHeaders`, whose defaults these are).
 */
export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  ...COMMON,
  'content-security-policy': CSP,
  'cross-origin-opener-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-frame-options': 'SAMEORIGIN',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
};

/**
 * The headers of every other answer (JSON, CSV, redirects, scripts): the set OWASP's REST
 * Security Cheat Sheet names for API responses (a policy that allows nothing, framing
 * refused, HSTS, nosniff) with the referrer and resource policies. The document headers
 * (opener policy, agent cluster, DNS prefetch, download options, the XSS filter) only act on
 * a page a browser renders; on ingest's 202, the answer to every single event, they were six
 * of its 18 header lines, parsed by every client (docs/benchmarks.md).
 */
export const API_HEADERS: Readonly<Record<string, string>> = {
  ...COMMON,
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'x-frame-options': 'DENY',
};

/** Headers of a JSON answer of the API: never cached. The ingest route (routes/events.ts) answers with these itself. */
export const API_JSON_HEADERS: Readonly<Record<string, string>> = {
  ...API_HEADERS,
  'cache-control': 'no-store',
  'content-type': 'application/json',
};

/** Page headers on HTML, API headers on everything else. */
export function securityHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const h = c.res.headers;
    const set = h.get('content-type')?.startsWith('text/html') ? PAGE_HEADERS : API_HEADERS;
    for (const name in set) h.set(name, set[name]);
    h.delete('x-powered-by');
  };
}
