import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createQueryClient } from './api/queryClient.ts';
import { App } from './App.tsx';
import { AppliedFiltersProvider } from './appliedFilters.tsx';
import { getToken } from './auth/session.ts';
import { I18nProvider } from './i18n/index.tsx';
import { PAGE_LOADERS } from './pages/registry.ts';
import { pageFromPath } from './router.ts';
import './styles.css';

// Start fetching the current page's chunk now, in parallel with /v1/me, instead of after it.
if (getToken()) {
  const page = pageFromPath(window.location.pathname);
  if (page) void PAGE_LOADERS[page.id]();
}

const queryClient = createQueryClient();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <I18nProvider>
        <AppliedFiltersProvider>
          <App />
        </AppliedFiltersProvider>
      </I18nProvider>
    </QueryClientProvider>
  </StrictMode>,
);
