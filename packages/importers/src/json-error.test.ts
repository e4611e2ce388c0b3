import { describe, expect, it } from 'vitest';
import { jsonSyntaxError, lineAndColumn } from './json-error.ts';

describe('jsonSyntaxError', () => {
  it('accepts what JSON.parse accepts', () => {
    for (const t of ['{}', '[]', ' {"a": [1, -2.5e3, true, false, null, "x\\\\u00e5\\\\n"], "b": {}} ', '"s"', '0']) {
      expect(JSON.parse(t) !== undefined).toBe(true);
      expect(jsonSyntaxError(t)).toBeNull();
    }
  });

  it.each([
    ['{"a": 1,\n "b": }', 15, '"}" where a value was expected'],
    ['{"a": 1\n "b": 2}', 9, '"\\"" where "," or "}" was expected'],
    ['[1, 2,]', 6, '"]" where a value was expected'],
    ['{"a": 1,}', 8, '"}" where a quoted property name was expected'],
    ['{a: 1}', 1, '"a" where a quoted property name or "}" was expected'],
    ['{"a" 1}', 5, '"1" where ":" was expected'],
    ['{"a": tru}', 6, '"t" where a value was expected'],
    ['{"a": "x\ty"}', 6, 'a string that is not closed, or holds a raw control character or a bad escape'],
    ['{"a": [1, 2]', 12, 'the text ends where "," or "}" was expected'],
    ['{} x', 3, '"x" where the end of the text was expected'],
  ])('%j fails at %i', (text, offset, reason) => {
    expect(() => JSON.parse(text)).toThrow();
    expect(jsonSyntaxError(text)).toEqual({ offset, reason });
  });
});

describe('lineAndColumn', () => {
  it('counts lines from 1 and columns from 1', () => {
    expect(lineAndColumn('ab\ncd\nef', 0)).toEqual({ line: 1, column: 1 });
    expect(lineAndColumn('ab\ncd\nef', 4)).toEqual({ line: 2, column: 2 });
    expect(lineAndColumn('ab\ncd\nef', 6)).toEqual({ line: 3, column: 1 });
  });
});
