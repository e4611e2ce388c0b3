import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { InputTooLargeError, openInput, readAll } from './input.ts';
import { type JsonItem, type JsonStreamInfo, jsonItemBatches } from './json-stream.ts';
import { type Line, collectLines, lineBatches } from './lines.ts';

async function* bytes(...parts: (string | number[])[]): AsyncGenerator<Uint8Array> {
  for (const p of parts) yield typeof p === 'string' ? Buffer.from(p) : Uint8Array.from(p);
}

async function lines(...parts: (string | number[])[]): Promise<Line[]> {
  const out: Line[] = [];
  for await (const b of lineBatches(bytes(...parts), { maxLineBytes: 32 })) out.push(...b);
  return out;
}

async function items(text: string | string[], arrayKeys = ['value', 'records'], info?: JsonStreamInfo): Promise<JsonItem[]> {
  const out: JsonItem[] = [];
  for await (const b of jsonItemBatches(bytes(...(Array.isArray(text) ? text : [text])), { arrayKeys }, info)) out.push(...b);
  return out;
}

describe('lineBatches', () => {
  it('splits LF and CRLF, strips the BOM, numbers lines, marks an unterminated last line', async () => {
    expect(await lines('\uFEFFa\r\nb\n', 'c')).toEqual([
      { text: 'a', line: 1 }, { text: 'b', line: 2 }, { text: 'c', line: 3, unterminated: true },
    ]);
  });

  it('joins a line split across chunks, even inside a multi-byte character', async () => {
    const ae = Buffer.from('ä'); // two bytes
    expect(await lines([0x61, ae[0]], [ae[1], 0x0a])).toEqual([{ text: 'aä', line: 1 }]);
  });

  it('flags invalid UTF-8 on its own line only', async () => {
    expect(await lines('ok\n', [0x62, 0xff, 0x0a], 'ok2\n')).toEqual([
      { text: 'ok', line: 1 }, { text: 'b\uFFFD', line: 2, invalidUtf8: true }, { text: 'ok2', line: 3 },
    ]);
  });

  it('keeps a genuine U+FFFD character as valid', async () => {
    expect(await lines('x\uFFFDy\n')).toEqual([{ text: 'x\uFFFDy', line: 1 }]);
  });

  it('skips an over-long line, in one chunk or spread over several', async () => {
    expect(await lines(`${'x'.repeat(40)}\nshort\n`)).toEqual([{ text: '', line: 1, tooLong: true }, { text: 'short', line: 2 }]);
    expect(await lines('x'.repeat(20), 'x'.repeat(20), 'x'.repeat(20), '\nshort\n')).toEqual([{ text: '', line: 1, tooLong: true }, { text: 'short', line: 2 }]);
  });

  it('collects lines of a string for small inputs', async () => {
    expect((await collectLines('a\nb')).map((l) => l.text)).toEqual(['a', 'b']);
  });
});

describe('jsonItemBatches', () => {
  it('yields the elements of a top-level array with their lines and indexes', async () => {
    expect(await items('[\n{"a":1},\n{"a":2}\n]')).toEqual([{ value: { a: 1 }, line: 2, index: 0 }, { value: { a: 2 }, line: 3, index: 1 }]);
  });

  it('streams the record array of a wrapper and returns the other keys as meta', async () => {
    const info: JsonStreamInfo = { meta: [], wrapperKeys: [] };
    const got = await items('{"@odata.context":"c","value":[{"id":"1"},{"id":"2","nested":{"value":[9]}}],"@odata.nextLink":"n"}', ['value'], info);
    expect(got.map((i) => i.value)).toEqual([{ id: '1' }, { id: '2', nested: { value: [9] } }]);
    expect(info).toEqual({ meta: [{ '@odata.context': 'c', '@odata.nextLink': 'n' }], wrapperKeys: ['value'] });
  });

  it('reads objects one after another (JSON lines, concatenated pages)', async () => {
    const got = await items('{"id":1}\n{"id":2}\n{"value":[{"id":3}]}\n');
    expect(got.map((i) => [i.value, i.line])).toEqual([[{ id: 1 }, 1], [{ id: 2 }, 2], [{ id: 3 }, 3]]);
  });

  it('ignores brackets, braces and quotes inside strings', async () => {
    const got = await items(['[{"s":"a]b}c\\"d{[", "v":"\\\\"}', ',{"x":"y"}]']);
    expect(got.map((i) => i.value)).toEqual([{ s: 'a]b}c"d{[', v: '\\' }, { x: 'y' }]);
  });

  it('yields scalars in an array as values (the mapper refuses them)', async () => {
    expect((await items('[1, "two", null]')).map((i) => i.value)).toEqual([1, 'two', null]);
  });

  it('reports a broken record and continues, and a cut-off end', async () => {
    const got = await items('{"ok":1}\n{"bad": tru}\n{"ok":2}\n{"cut":');
    expect(got.map((i) => i.value ?? i.error?.slice(0, 14))).toEqual([{ ok: 1 }, 'not valid JSON', { ok: 2 }, 'the file ends ']);
    expect(got[3].line).toBe(4);
  });

  it('reports text outside any JSON value once per line', async () => {
    const got = await items('garbage here\n{"ok":1}\n');
    expect(got).toEqual([{ error: 'unexpected "g" outside any JSON value', line: 1, index: 0 }, { value: { ok: 1 }, line: 2, index: 1 }]);
  });

  it('refuses a giant value that is not a record array', async () => {
    const big = `{"x":"${'a'.repeat(200)}"`;
    const run = async () => {
      for await (const _ of jsonItemBatches(bytes(big, big), { arrayKeys: [], maxValueChars: 100 })) { /* drain */ }
    };
    await expect(run()).rejects.toThrow(/larger than 100 characters/);
  });
});

describe('openInput and readAll', () => {
  it('replays the peeked head and the rest in order', async () => {
    const { head, chunks } = await openInput(bytes('abc', 'def'));
    expect(Buffer.from(head).toString()).toBe('abcdef');
    const all: string[] = [];
    for await (const c of chunks) all.push(Buffer.from(c).toString());
    expect(all.join('')).toBe('abcdef');
  });

  it('gunzips transparently, whole or streamed', async () => {
    const gz = gzipSync(Buffer.from('hej\n'.repeat(50_000)));
    expect(Buffer.from(await readAll(gz)).toString().length).toBe(200_000);
    const parts: Uint8Array[] = [];
    for (let i = 0; i < gz.length; i += 100) parts.push(gz.subarray(i, i + 100));
    async function* s() { yield* parts; }
    const { head } = await openInput(s());
    expect(Buffer.from(head).toString().startsWith('hej\nhej')).toBe(true);
  });

  it('accepts strings, ArrayBuffers and Uint8Arrays', async () => {
    expect(Buffer.from(await readAll('å')).toString()).toBe('å');
    expect(Buffer.from(await readAll(new TextEncoder().encode('x').buffer as ArrayBuffer)).toString()).toBe('x');
  });

  it('stops reading past the size limit', async () => {
    await expect(readAll('x'.repeat(100), 10)).rejects.toBeInstanceOf(InputTooLargeError);
  });
});
