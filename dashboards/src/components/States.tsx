/**
 * Loading, error and empty states. Each says what is happening and what to do next; the
 * error text maps the API's status to an action (403: choose your own school unit; 503:
 * storage is down, try again) and keeps the server's own message for the details.
 */
import type { ReactNode } from 'react';
import { ApiError } from '../api/client.ts';
import { useI18n, type MessageKey, type Translate } from '../i18n/index.tsx';

export function errorText(t: Translate, error: unknown): string {
  if (error instanceof ApiError) {
    const vars = { message: error.message, status: error.status };
    switch (error.status) {
      case 0: return t('error.network');
      case 400: return t('error.400', vars);
      case 403: return t('error.403', vars);
      case 404: return t('error.404', vars);
      case 503: return t('error.503');
      default: return t('error.other', vars);
    }
  }
  return t('error.other', { status: '?', message: error instanceof Error ? error.message : String(error) });
}

export function Loading({ what, rows = 4 }: { what: MessageKey; rows?: number }) {
  const { t } = useI18n();
  return (
    <div className="state state-loading" role="status" aria-live="polite">
      <p>{t('state.loading', { what: t(what) })}</p>
      <div className="skeleton" aria-hidden="true">
        {Array.from({ length: rows }, (_, i) => <span key={i} style={{ width: `${90 - i * 12}%` }} />)}
      </div>
    </div>
  );
}

export function ErrorPanel({ what, error, onRetry }: { what: MessageKey; error: unknown; onRetry?: () => void }) {
  const { t } = useI18n();
  return (
    <div className="state state-error" role="alert">
      <p className="state-title">{t('state.errorTitle', { what: t(what) })}</p>
      <p>{errorText(t, error)}</p>
      {onRetry && <button type="button" className="btn" onClick={onRetry}>{t('state.retry')}</button>}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <div className="state state-empty" role="status"><p>{children}</p></div>;
}

/** Shown beside a heading while a filter change refetches and the previous figures stay on screen. */
export function Updating({ active }: { active: boolean }) {
  const { t } = useI18n();
  return <span className="updating" role="status" aria-live="polite">{active ? t('state.updating') : ''}</span>;
}

interface QueryLike<T> { data: T | undefined; error: unknown; isPending: boolean; refetch: () => unknown }

/** Renders a query's loading or error state, or its data through `children`. */
export function QueryView<T>({ query, what, children }: { query: QueryLike<T>; what: MessageKey; children: (data: T) => ReactNode }) {
  if (query.data !== undefined) return <>{children(query.data)}</>;
  if (query.error) return <ErrorPanel what={what} error={query.error} onRetry={() => void query.refetch()} />;
  return <Loading what={what} />;
}
