/**
 * The one way the dashboard talks to the API: same origin, `Authorization: Bearer`,
 * JSON in and out, errors turned into ApiError with the server's code and message so
 * the screen can say what happened and what to do.
 */
import { COOKIE_SESSION } from '../auth/school-sign-in.ts';
import { getCachedMe, getToken } from '../auth/session.ts';

export type Params = Record<string, string | number | boolean | null | undefined>;

export class ApiError extends Error {
  constructor(
    /** HTTP status; 0 when the server could not be reached. */
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** `path?query` with empty parameters left out, in a stable order (for identical cache keys and links). */
export function apiUrl(path: string, params: Params = {}): string {
  const q = new URLSearchParams();
  for (const key of Object.keys(params).sort()) {
    const v = params[key];
    if (v === null || v === undefined || v === '') continue;
    q.set(key, String(v));
  }
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

async function toError(res: Response): Promise<ApiError> {
  let code = `http_${res.status}`;
  let message = res.statusText || `HTTP ${res.status}`;
  let details: unknown;
  try {
    const body = (await res.json()) as { error?: { code?: string; message?: string; details?: unknown } };
    if (body?.error) {
      code = body.error.code ?? code;
      message = body.error.message ?? message;
      details = body.error.details;
    }
  } catch {
    // Not JSON (a proxy's error page): keep the status text.
  }
  return new ApiError(res.status, code, message, details);
}

async function send(method: string, url: string, body: unknown, signal?: AbortSignal, accept = 'application/json', token = getToken()): Promise<Response> {
  const headers: Record<string, string> = { Accept: accept };
  if (token === COOKIE_SESSION) {
    // The HttpOnly cookie goes by itself; a write proves it comes from this page.
    const csrf = getCachedMe<{ csrfToken?: string }>()?.csrfToken;
    if (method !== 'GET' && csrf) headers['X-CSRF-Token'] = csrf;
  } else if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError(0, 'network', (e as Error).message || 'network error');
  }
  if (!res.ok) throw await toError(res);
  return res;
}

export async function apiGet<T>(path: string, params?: Params, signal?: AbortSignal): Promise<T> {
  const res = await send('GET', apiUrl(path, params), undefined, signal);
  return (await res.json()) as T;
}

export async function apiPut<T>(path: string, body: unknown): Promise<T> {
  const res = await send('PUT', path, body);
  const text = await res.text();
  return (text ? JSON.parse(text) : {}) as T;
}

export async function apiPost<T>(path: string, body: unknown): Promise<T> {
  const res = await send('POST', path, body);
  const text = await res.text();
  return (text ? JSON.parse(text) : {}) as T;
}

export async function apiDelete(path: string): Promise<void> {
  await send('DELETE', path, undefined);
}

/** Checks a token (or COOKIE_SESSION) before keeping it: answers who it belongs to, or throws (401 for a wrong one). */
export async function whoAmI<T>(token: string): Promise<T> {
  const res = await send('GET', '/v1/me', undefined, undefined, 'application/json', token);
  return (await res.json()) as T;
}

/** The files a table can be downloaded as: machine CSV, CSV for Swedish Excel, an Excel workbook; the renewal pack also as PDF. */
export type FileFormat = 'csv' | 'csv-excel' | 'xlsx' | 'pdf';

const ACCEPT: Record<FileFormat, string> = {
  csv: 'text/csv',
  'csv-excel': 'text/csv',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
};

/**
 * Downloads a report as a file with the same parameters as on screen: the token must go in
 * a header, so the file is fetched and handed to the browser as a Blob rather than linked.
 * `lang` gives the headers of the files for people the language of the screen.
 */
export async function downloadFile(path: string, params: Params, format: FileFormat, filename: string, lang?: string): Promise<void> {
  const res = await send('GET', apiUrl(path, { ...params, format, ...(format === 'csv' ? {} : { lang }) }), undefined, undefined, ACCEPT[format]);
  saveBlob(await res.blob(), filename);
}

/** Downloads a file the server names (a subscription's attachment): its own name from Content-Disposition. */
export async function downloadNamed(path: string, fallback: string): Promise<void> {
  const res = await send('GET', path, undefined, undefined, '*/*');
  const named = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1];
  saveBlob(await res.blob(), named ?? fallback);
}

function saveBlob(blob: Blob, filename: string) {
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = filename;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}

/** `licenskoll-licenser-2026-08-01_2026-11-29.csv`: what the file holds and for which days. */
export function fileName(report: string, params: Params, format: FileFormat = 'csv'): string {
  const span = params.from && params.to ? `${params.from}_${params.to}` : params.asOf ? String(params.asOf) : '';
  const extra = [params.school, params.product].filter(Boolean).join('_');
  const ext = format === 'xlsx' ? '.xlsx' : format === 'pdf' ? '.pdf' : format === 'csv-excel' ? '-excel.csv' : '.csv';
  return ['licenskoll', report, span, extra].filter(Boolean).join('-').replace(/[^\w.-]+/g, '_') + ext;
}
