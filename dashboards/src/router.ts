/**
 * A minimal History-API router: eight pages need no routing library. The location is an
 * external store (useSyncExternalStore), so the URL is the single source of truth for the
 * page and its filters; back/forward and bookmarks just work.
 */
import { useCallback, useSyncExternalStore } from 'react';
import type { Role } from './api/types.ts';
import type { MessageKey } from './i18n/sv.ts';

export type PageId = 'overview' | 'actions' | 'licences' | 'classes' | 'unused' | 'unlicensed' | 'flags' | 'signins' | 'renewals' | 'followup' | 'unmapped' | 'subscriptions' | 'glossary';

export interface PageDef {
  id: PageId;
  path: string;
  nav: MessageKey;
  /** Roles that see the page in the navigation and may open it. */
  roles: readonly Role[];
}

const MANAGERS: readonly Role[] = ['admin', 'purchaser'];
/** Money pages: the organiser's managers, and principals for the licences that reach their units (the API scopes them). */
const SCHOOL_MONEY: readonly Role[] = ['admin', 'purchaser', 'principal'];

export const PAGES: readonly PageDef[] = [
  { id: 'overview', path: '/overview', nav: 'nav.overview', roles: SCHOOL_MONEY },
  { id: 'actions', path: '/actions', nav: 'nav.actions', roles: SCHOOL_MONEY },
  { id: 'licences', path: '/licences', nav: 'nav.licences', roles: SCHOOL_MONEY },
  { id: 'classes', path: '/classes', nav: 'nav.classes', roles: ['admin', 'purchaser', 'principal', 'teacher'] },
  { id: 'unused', path: '/unused', nav: 'nav.unused', roles: SCHOOL_MONEY },
  { id: 'unlicensed', path: '/unlicensed', nav: 'nav.unlicensed', roles: SCHOOL_MONEY },
  { id: 'signins', path: '/sign-in-readiness', nav: 'nav.signins', roles: ['admin', 'purchaser', 'principal', 'teacher'] },
  { id: 'flags', path: '/flags', nav: 'nav.flags', roles: SCHOOL_MONEY },
  { id: 'renewals', path: '/renewals', nav: 'nav.renewals', roles: SCHOOL_MONEY },
  { id: 'followup', path: '/followup', nav: 'nav.followup', roles: SCHOOL_MONEY },
  { id: 'unmapped', path: '/unmapped', nav: 'nav.unmapped', roles: MANAGERS },
  { id: 'subscriptions', path: '/subscriptions', nav: 'nav.subscriptions', roles: ['admin'] },
  { id: 'glossary', path: '/glossary', nav: 'nav.glossary', roles: ['admin', 'purchaser', 'principal', 'teacher'] },
];

/** The page a path names; null for `/` (which goes to the role's home page) and unknown paths. */
export function pageFromPath(pathname: string): PageDef | null {
  const p = pathname.replace(/\/+$/, '') || '/';
  return PAGES.find((x) => x.path === p) ?? null;
}

/** Where `/` leads: principals and teachers start at their classes, everyone else at the money. */
export function homePage(role: Role): PageDef {
  return role === 'principal' || role === 'teacher' ? PAGES.find((p) => p.id === 'classes')! : PAGES[0];
}

const EVENT = 'licenskoll:navigate';

function subscribe(cb: () => void) {
  window.addEventListener('popstate', cb);
  window.addEventListener(EVENT, cb);
  return () => {
    window.removeEventListener('popstate', cb);
    window.removeEventListener(EVENT, cb);
  };
}

const snapshot = () => window.location.pathname + window.location.search;

export function useLocation(): { pathname: string; search: string } {
  const s = useSyncExternalStore(subscribe, snapshot, () => '/');
  const i = s.indexOf('?');
  return i < 0 ? { pathname: s, search: '' } : { pathname: s.slice(0, i), search: s.slice(i) };
}

export function navigate(to: string, opts: { replace?: boolean } = {}): void {
  if (to === snapshot()) return;
  if (opts.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  window.dispatchEvent(new Event(EVENT));
}

/** The query string as URLSearchParams, and a setter that keeps the path. */
export function useSearchParams(): [URLSearchParams, (next: URLSearchParams, opts?: { replace?: boolean }) => void] {
  const { pathname, search } = useLocation();
  const set = useCallback(
    (next: URLSearchParams, opts?: { replace?: boolean }) => {
      const s = next.toString();
      navigate(s ? `${pathname}?${s}` : pathname, opts);
    },
    [pathname],
  );
  return [new URLSearchParams(search), set];
}

/** `/licences?period=...`: a page path carrying the current shared filters along. */
export function hrefWithFilters(path: string, search: string): string {
  const q = new URLSearchParams(search);
  const keep = new URLSearchParams();
  for (const k of ['period', 'from', 'to', 'school', 'product']) {
    const v = q.get(k);
    if (v) keep.set(k, v);
  }
  const s = keep.toString();
  return s ? `${path}?${s}` : path;
}
