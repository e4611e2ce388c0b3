/**
 * Every page is its own lazy chunk, so the first download holds only the shell; the
 * chunk of the page in the address bar is requested at start in parallel with /v1/me
 * (see main.tsx), so lazy loading adds no extra round trip to the first render.
 */
import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import type { PageId } from '../router.ts';

type Loader = () => Promise<{ default: ComponentType }>;

export const PAGE_LOADERS: Record<PageId, Loader> = {
  overview: () => import('./OverviewPage.tsx'),
  actions: () => import('./ActionsPage.tsx'),
  licences: () => import('./LicencesPage.tsx'),
  classes: () => import('./ClassesPage.tsx'),
  unused: () => import('./UnusedPage.tsx'),
  unlicensed: () => import('./UnlicensedPage.tsx'),
  signins: () => import('./SignInReadinessPage.tsx'),
  flags: () => import('./FlagsPage.tsx'),
  renewals: () => import('./RenewalsPage.tsx'),
  followup: () => import('./FollowupPage.tsx'),
  unmapped: () => import('./UnmappedPage.tsx'),
  glossary: () => import('./GlossaryPage.tsx'),
  subscriptions: () => import('./SubscriptionsPage.tsx'),
};

export const PAGE_COMPONENTS = Object.fromEntries(
  Object.entries(PAGE_LOADERS).map(([id, load]) => [id, lazy(load)]),
) as Record<PageId, LazyExoticComponent<ComponentType>>;
