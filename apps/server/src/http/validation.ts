import type { Context } from 'hono';
import type { z } from 'zod';
import { ApiError, describeIssues, issuesText } from '@licenskoll/core';

/**
 * Bad input, answered one way by every route: 400 `{"error": {"code", "message", "details"}}`,
 * details naming each field and its reason (`[{field, reason}]`, `(body)` for the whole body).
 * The code says what was refused (`bad_request`, `invalid_token`, ...); the message is the
 * same reasons on one line.
 */
export function checked<T>(schema: z.ZodType<T>, raw: unknown, o: { code?: string; what?: string } = {}): T {
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  throw new ApiError(400, o.code ?? 'bad_request', `invalid ${o.what ?? 'body'}: ${issuesText(r.error)}`, describeIssues(r.error));
}

/** The request's body as JSON, whatever its content type says; text that is not JSON is a 400 `malformed_json`. */
export async function jsonBody(c: Context): Promise<unknown> {
  const text = await c.req.text();
  try {
    return JSON.parse(text);
  } catch (e) {
    const reason = `is not valid JSON: ${(e as Error).message}`;
    throw new ApiError(400, 'malformed_json', `body ${reason}`, [{ field: '(body)', reason }]);
  }
}

/** The JSON body, validated by `schema`. */
export async function validBody<T>(c: Context, schema: z.ZodType<T>, code?: string): Promise<T> {
  return checked(schema, await jsonBody(c), { code });
}

/** The query parameters, each given at most once (a list is comma-separated), validated by `schema`. */
export function validQuery<T>(c: Context, schema: z.ZodType<T>): T {
  const raw: Record<string, string> = {};
  for (const [k, v] of Object.entries(c.req.queries())) {
    if (v.length > 1) {
      const field = k.slice(0, 50);
      throw new ApiError(400, 'bad_request', `invalid parameters: ${field}: give it once (a list is comma-separated)`, [{ field, reason: 'given more than once' }]);
    }
    raw[k] = v[0];
  }
  return checked(schema, raw, { what: 'parameters' });
}
