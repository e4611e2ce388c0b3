import { createReadStream, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { Readable } from 'node:stream';

export interface Source {
  name: string;
  /** Bytes, when known: for progress. */
  size?: number;
  stream(): AsyncIterable<Uint8Array>;
}

/** A local file, `-` for standard input, or an http(s) URL. */
export async function openSource(where: string): Promise<Source> {
  if (where === '-') return { name: 'stdin', stream: () => process.stdin };
  if (/^https?:\/\//i.test(where)) {
    const res = await fetch(where);
    if (!res.ok || !res.body) throw new Error(`${where}: ${res.status} ${res.statusText}`);
    const len = Number(res.headers.get('content-length'));
    const body = res.body;
    return { name: where, ...(len > 0 ? { size: len } : {}), stream: () => Readable.fromWeb(body as never) as AsyncIterable<Uint8Array> };
  }
  const st = statSync(where, { throwIfNoEntry: false });
  if (st?.isDirectory()) {
    // A folder of OneRoster CSV files travels as the zip an SIS would have exported.
    const files = Object.fromEntries(
      readdirSync(where).filter((f) => /\.csv$/i.test(f)).map((f) => [f, new Uint8Array(readFileSync(join(where, f)))]),
    );
    if (!Object.keys(files).length) throw new Error(`${where}: a folder without .csv files`);
    const zip = zipSync(files);
    return { name: `${where.split('/').filter(Boolean).pop()}.zip`, size: zip.length, stream: async function* () { yield zip; } };
  }
  if (!st?.isFile()) throw new Error(`${where}: no such file`);
  return { name: where.split('/').pop() ?? where, size: st.size, stream: () => createReadStream(where) };
}

/** Counts bytes as they pass, for a progress line. */
export async function* counting(src: AsyncIterable<Uint8Array>, onBytes: (n: number) => void): AsyncGenerator<Uint8Array> {
  for await (const chunk of src) {
    onBytes(chunk.length);
    yield chunk;
  }
}
