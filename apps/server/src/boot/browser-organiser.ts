import type { IncomingHttpHeaders } from 'node:http';
import { parse as parseCookie } from 'hono/utils/cookie';
import { sessionOrganiser } from '../auth/sessions.ts';

const SIGN_IN_PATH = /^\/auth\/([a-z][a-z0-9-]{1,39})\//;
const SESSION_COOKIES = ['__Host-lk_session', 'lk_session'];

/**
 * The organiser a browser's request without a token is for (docs/tenants.md): a sign-in path
 * names it (`/auth/<organiser>/login`), and so does a session cookie's prefix
 * (`<organiser>.<secret>`, sessions.ts) on every other path. Like a token's prefix it only
 * routes: the organiser's app looks the session up in its own table. Undefined: the first's.
 */
export function browserOrganiser(path: string, headers: IncomingHttpHeaders): string | undefined {
  if (path.startsWith('/auth/')) return SIGN_IN_PATH.exec(path)?.[1];
  if (headers.authorization !== undefined || !headers.cookie?.includes('lk_session=')) return undefined;
  const cookies = parseCookie(headers.cookie);
  for (const name of SESSION_COOKIES) {
    const value = cookies[name];
    if (value) return sessionOrganiser(value);
  }
  return undefined;
}
