/**
 * The shell: sign-in gate, header with the organiser, the signed-in person and the
 * language switch, the page navigation, the shared filters, and the current page.
 * Pages render as soon as their chunk is there, without waiting for /v1/me, so a page's
 * report is requested in parallel with who-am-I (one network step, not two).
 */
import { useQuery, useQueryClient, type UseQueryResult } from '@tanstack/react-query';
import type { Me } from './api/types.ts';
import { lazy, Suspense, useEffect, useRef, useSyncExternalStore } from 'react';
import { queries } from './api/queries.ts';
import { getCachedMe, getToken, setCachedMe, setToken, signOut, subscribeToken } from './auth/session.ts';
import { isRegionToken } from './region/isRegionToken.ts';
import { SignIn } from './auth/SignIn.tsx';
import { COOKIE_SESSION, endCookieSession } from './auth/school-sign-in.ts';
import { FilterBar } from './components/FilterBar.tsx';
import { TopBar } from './components/TopBar.tsx';
import { ErrorPanel, Loading } from './components/States.tsx';
import { useI18n } from './i18n/index.tsx';
import { PAGE_COMPONENTS } from './pages/registry.ts';
import { homePage, hrefWithFilters, navigate, pageFromPath, PAGES, useLocation, type PageDef, type PageId } from './router.ts';
import { useFilters } from './useFilters.ts';
import { useReference } from './useReference.ts';

// The region's page is loaded only for a region token.
const RegionShell = lazy(() => import('./region/RegionShell.tsx'));

/** Which shared filters each page's report takes (the rest are hidden rather than ignored). */
const FILTERS: Record<PageId, { bar: boolean; school: boolean; product: boolean }> = {
  overview: { bar: true, school: true, product: true },
  actions: { bar: true, school: true, product: true },
  licences: { bar: true, school: true, product: true },
  classes: { bar: true, school: true, product: true },
  unused: { bar: true, school: true, product: true },
  unlicensed: { bar: true, school: true, product: true },
  // Its own day and window (the days before a test), not the shared period.
  signins: { bar: false, school: false, product: false },
  flags: { bar: true, school: true, product: true },
  renewals: { bar: true, school: true, product: true },
  followup: { bar: true, school: true, product: true },
  unmapped: { bar: false, school: false, product: false },
  glossary: { bar: false, school: false, product: false },
  subscriptions: { bar: false, school: false, product: false },
};

export function App() {
  const token = useSyncExternalStore(subscribeToken, getToken);
  const qc = useQueryClient();
  if (!token) {
    return (
      <SignIn
        onSignedIn={(me, tok) => {
          qc.setQueryData(queries.me().queryKey, me);
          setCachedMe(me);
          setToken(tok);
        }}
      />
    );
  }
  if (isRegionToken(token, getCachedMe<{ region?: boolean }>())) return <Suspense fallback={<Loading what="what.region" />}><RegionShell /></Suspense>;
  return <Shell />;
}

function Shell() {
  const { t } = useI18n();
  const qc = useQueryClient();
  const me = useQuery(queries.me());
  const reference = useReference();
  const filterState = useFilters();
  const { pathname, search } = useLocation();
  const page = pageFromPath(pathname);
  const role = me.data?.role;

  useEffect(() => {
    if (!page && (pathname === '/' || pathname === '') && role) navigate(hrefWithFilters(homePage(role).path, search), { replace: true });
  }, [page, pathname, role, search]);

  useEffect(() => {
    document.title = page ? `${t(page.nav)} · ${t('app.name')}` : t('app.name');
  }, [page, t]);

  // Move focus to the new page's heading after a navigation (not on first load), for keyboard and screen-reader users.
  const shownPath = useRef(pathname);
  useEffect(() => {
    if (shownPath.current === pathname) return;
    shownPath.current = pathname;
    const id = setTimeout(() => document.getElementById('page-title')?.focus(), 50);
    return () => clearTimeout(id);
  }, [pathname]);

  const visible = PAGES.filter((p) => !role || p.roles.includes(role));
  const cfg = page ? FILTERS[page.id] : null;

  return (
    <div className="app">
      <a className="skip" href="#main">{t('app.skip')}</a>
      <header className="topbar">
        <TopBar
          org={reference.organiser?.name}
          who={me.data}
          onSignOut={async () => {
            // The session ends at the server first: the sign-in page would otherwise find the cookie still signed in.
            if (getToken() === COOKIE_SESSION && me.data?.logout) await endCookieSession(me.data.logout, me.data.csrfToken);
            signOut('user');
            qc.clear();
          }}
        />
        <nav className="tabs" aria-label={t('nav.label')}>
          <ul>
            {visible.map((p) => (
              <li key={p.id}>
                <NavLink page={p} current={page?.id === p.id} search={search} />
              </li>
            ))}
          </ul>
        </nav>
      </header>
      {cfg?.bar && (
        <div className="filterbar">
          <FilterBar state={filterState} reference={reference} me={me.data} showSchool={cfg.school} showProduct={cfg.product} />
        </div>
      )}
      <main id="main" className="main" tabIndex={-1}>
        <Content page={page} pathname={pathname} me={me} />
      </main>
    </div>
  );
}

function NavLink({ page, current, search }: { page: PageDef; current: boolean; search: string }) {
  const { t } = useI18n();
  const href = hrefWithFilters(page.path, search);
  return (
    <a
      href={href}
      aria-current={current ? 'page' : undefined}
      onClick={(e) => {
        if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
        e.preventDefault();
        navigate(href);
      }}
    >
      {t(page.nav)}
    </a>
  );
}

function Content({ page, pathname, me }: { page: PageDef | null; pathname: string; me: UseQueryResult<Me> }) {
  const { t } = useI18n();
  const role = me.data?.role;
  if (!page) {
    if (pathname === '/' || pathname === '') {
      return me.error ? <ErrorPanel what="what.overview" error={me.error} onRetry={() => void me.refetch()} /> : <Loading what="what.overview" />;
    }
    return (
      <div className="state state-empty">
        <p>{t('page.notFound')}</p>
        <p><a href="/" onClick={(e) => { e.preventDefault(); navigate('/'); }}>{t('page.toOverview')}</a></p>
      </div>
    );
  }
  if (role === 'ingest') return <div className="state state-empty" role="status"><p>{t('page.ingestOnly')}</p></div>;
  if (role && !page.roles.includes(role)) return <div className="state state-empty" role="status"><p>{t('page.notForRole', { role: t(`role.${role}`) })}</p></div>;
  const Page = PAGE_COMPONENTS[page.id];
  return (
    <Suspense fallback={<Loading what="app.loading" />}>
      <Page />
    </Suspense>
  );
}
