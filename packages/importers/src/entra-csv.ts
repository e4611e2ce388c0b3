import { readCsvTable, widthProblem } from './csv.ts';
import type { SignIn, SignInFields } from './entra.ts';
import { ENTRA_SIGNIN_HEADERS, type EntraSigninColumn, mapHeaders } from './headers.ts';
import { decodeSpreadsheet, readAll } from './input.ts';
import type { Tally } from './result.ts';
import { toIsoTime } from './times.ts';

/**
 * Sign-in CSVs: the Entra admin centre's "Download CSV" (what an administrator gets
 * first; English or Swedish labels) and a Log Analytics / Sentinel `SigninLogs` export.
 * Columns are found by name, so added, dropped or reordered columns change nothing;
 * each row becomes the same `SignIn` a JSON record would, and so the same event.
 */

/** The sniffer's variants that this reader takes. */
export const ENTRA_CSV_VARIANTS = ['portal-csv', 'portal-csv-sv', 'log-analytics-csv'];

export type EntraCsvItem =
  | { row: number; line: number; signIn: SignIn; fields: SignInFields }
  | { row: number; line: number; reject: { field?: string; reason: string } };

const STATUS: Record<string, 'success' | 'failure' | 'interrupted'> = {
  success: 'success', succeeded: 'success', lyckades: 'success', lyckad: 'success', 'lyckat': 'success',
  failure: 'failure', failed: 'failure', fel: 'failure', misslyckades: 'failure', misslyckad: 'failure',
  interrupted: 'interrupted', avbruten: 'interrupted', avbröts: 'interrupted',
};

const US_TIME = /^(\d{1,2})\/(\d{1,2})\/(\d{4}),? (\d{1,2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)? ?([AP]M)$/i;

/**
 * A time of a column labelled UTC: ISO 8601 as the download writes it, `2024-09-02 07:12:31`
 * (Swedish locale), or the Log Analytics portal's `9/2/2024, 7:12:31.000 AM`.
 */
export function csvUtcTime(raw: string): string | null {
  const us = US_TIME.exec(raw.trim());
  if (us) {
    const [, mo, d, y, h, mi, se = '00', frac = '', ap] = us;
    const hour = (Number(h) % 12) + (ap.toUpperCase() === 'PM' ? 12 : 0);
    return toIsoTime(`${y}-${mo.padStart(2, '0')}-${d.padStart(2, '0')}T${String(hour).padStart(2, '0')}:${mi}:${se}${frac}Z`);
  }
  return toIsoTime(raw, 'UTC');
}

function statusOf(cell: string): { errorCode?: number; status?: SignIn['status'] } {
  const t = cell.trim();
  if (t.startsWith('{')) {
    try {
      const code = (JSON.parse(t) as { errorCode?: unknown }).errorCode;
      if (typeof code === 'number') return { errorCode: code };
    } catch { /* not JSON after all: read it as a word */ }
  }
  const word = STATUS[t.toLowerCase()];
  return word ? { status: word } : {};
}

const bool = (cell: string) => (/^(true|ja|yes)$/i.test(cell) ? true : /^(false|nej|no)$/i.test(cell) ? false : undefined);

export async function* entraCsvItems(chunks: AsyncIterable<Uint8Array>, tally: Tally, file?: string): AsyncGenerator<EntraCsvItem[]> {
  const { text, encoding } = decodeSpreadsheet(await readAll(chunks));
  if (encoding === 'windows-1252') tally.note("the file is not UTF-8; read as Windows-1252 (Excel's Swedish CSV)");
  const table = readCsvTable(text);
  if (!table) return;
  const cols = mapHeaders(table.headers, ENTRA_SIGNIN_HEADERS);
  if (cols.createdTime !== undefined) cols.time = cols.createdTime;
  const header = (k: EntraSigninColumn) => (cols[k] === undefined ? k : table.headers[cols[k] as number]);
  const missing: [string, EntraSigninColumn[]][] = [];
  if (cols.time === undefined) missing.push(['time', ['time']]);
  if (cols.appId === undefined) missing.push(['application id', ['appId']]);
  if (cols.userName === undefined && cols.userId === undefined && cols.servicePrincipal === undefined) missing.push(['user', ['userName', 'userId']]);
  if (cols.status === undefined && cols.errorCode === undefined) missing.push(['status', ['errorCode', 'status']]);
  if (missing.length) {
    for (const [what, keys] of missing) {
      tally.reject({ ...(file ? { file } : {}), row: 1, line: table.headerLine, field: what, reason: `column missing; accepted headers: ${keys.flatMap((k) => ENTRA_SIGNIN_HEADERS[k]).join(', ')}` });
    }
    tally.note(`found columns: ${table.headers.join(', ')}`);
    return;
  }
  const fields: SignInFields = {
    time: header('time'), appId: header('appId'), user: header(cols.userName !== undefined ? 'userName' : 'userId'),
    status: header(cols.errorCode !== undefined ? 'errorCode' : 'status'),
  };
  let blank = 0;
  let batch: EntraCsvItem[] = [];
  for (const rec of table.rows) {
    if (rec.fields.every((f) => f.trim() === '')) { blank++; continue; } // Excel's ";;;;" after formatted cells
    const problem = widthProblem(rec, table.headers.length);
    if (problem) { batch.push({ row: rec.row, line: rec.line, reject: { reason: problem } }); continue; }
    const cell = (k: EntraSigninColumn) => (cols[k] === undefined ? '' : (rec.fields[cols[k] as number] ?? '').trim());
    const code = cell('errorCode');
    const status = /^\d+$/.test(code) ? { errorCode: Number(code) } : statusOf(cell('status'));
    const user = cell('userName') || cell('userId') || undefined;
    const time = cell('time');
    const signIn: SignIn = {
      ...(cell('id') ? { id: cell('id') } : {}),
      time: csvUtcTime(time) ?? time,
      ...(user ? { user } : {}),
      ...(cell('appId') ? { appId: cell('appId') } : {}),
      ...(cell('appName') ? { appName: cell('appName') } : {}),
      ...status,
      ...(cell('category') ? { category: cell('category') } : !user && cell('servicePrincipal') ? { category: 'ServicePrincipalSignInLogs' } : {}),
      ...(bool(cell('interactive')) !== undefined ? { interactive: bool(cell('interactive')) } : {}),
    };
    batch.push({ row: rec.row, line: rec.line, signIn, fields });
    if (batch.length >= 1000) { yield batch; batch = []; }
  }
  if (batch.length) yield batch;
  if (blank) tally.note(`${blank} empty rows ignored`);
}
