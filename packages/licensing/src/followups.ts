import type { FollowupInput } from '@licenskoll/core';
import { queryRows, type Storage } from '@licenskoll/storage';

export interface Followup {
  licence: string;
  status: string;
  note: string;
  by: string;
  at: string;
}

/** Append-only: a status change is a new row; the history is never rewritten. */
export async function addFollowup(storage: Storage, f: FollowupInput, by: string): Promise<Followup> {
  const at = new Date().toISOString();
  await storage.write.insert({
    table: 'followups',
    values: [{ licence: f.licence, status: f.status, note: f.note ?? '', by, at: at.replace('T', ' ').replace('Z', '') }],
    format: 'JSONEachRow',
  });
  return { licence: f.licence, status: f.status, note: f.note ?? '', by, at };
}

export async function listFollowups(storage: Storage, licence?: string, licences?: string[]): Promise<Followup[]> {
  return queryRows<Followup>(
    storage.read,
    `SELECT licence, status, note, by, formatDateTime(at, '%Y-%m-%dT%H:%i:%S.%fZ') AS at FROM followups
     WHERE ({licence:String} = '' OR licence = {licence:String})
       AND (empty({licences:Array(String)}) OR has({licences:Array(String)}, licence))
     ORDER BY at DESC, licence`,
    { licence: licence ?? '', licences: licences ?? [] },
  );
}
