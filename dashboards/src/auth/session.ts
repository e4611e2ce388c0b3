/**
 * The bearer token of this browser tab. Kept in sessionStorage (gone when the tab
 * closes, never written to the URL, never in localStorage) and mirrored in memory so the
 * API client reads it without touching storage on every request.
 */
const KEY = 'licenskoll.token';
const ME_KEY = 'licenskoll.me';
type Listener = () => void;

let token: string | null = read();
const listeners = new Set<Listener>();

function read(): string | null {
  try {
    return typeof sessionStorage === 'undefined' ? null : sessionStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function getToken(): string | null {
  return token;
}

export function setToken(next: string | null): void {
  token = next?.trim() || null;
  try {
    if (token) sessionStorage.setItem(KEY, token);
    else {
      sessionStorage.removeItem(KEY);
      sessionStorage.removeItem(ME_KEY);
    }
  } catch {
    // Storage blocked (private mode): the token lives in memory for this page only.
  }
  for (const l of listeners) l();
}

export function subscribeToken(l: Listener): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

export type SignOutReason = 'user' | 'expired';
let reason: SignOutReason | null = null;

/** Forgets the token; `expired` when the server stopped accepting it (a 401 on any request). */
export function signOut(why: SignOutReason): void {
  reason = why;
  setToken(null);
}

/** Why the last sign-out happened, for the sign-in screen to say so once. */
export function takeSignOutReason(): SignOutReason | null {
  const r = reason;
  reason = null;
  return r;
}

/**
 * Who the token belongs to (role, name, reach), kept beside the token so that a reload
 * knows the role at once: pages outside the role are not requested at all (no 403), and
 * `/` goes to the role's home without waiting. /v1/me still refreshes it in the background.
 */
export function getCachedMe<T>(): T | undefined {
  try {
    const raw = sessionStorage.getItem(ME_KEY);
    return raw ? (JSON.parse(raw) as T) : undefined;
  } catch {
    return undefined;
  }
}

export function setCachedMe(me: unknown): void {
  try {
    sessionStorage.setItem(ME_KEY, JSON.stringify(me));
  } catch {
    // not kept: the role is then known once /v1/me answers
  }
}
