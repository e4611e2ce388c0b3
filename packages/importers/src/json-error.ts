/**
 * Where a JSON text first goes wrong. `JSON.parse` in Node 20 often says only "Unexpected
 * token '}', …is not valid JSON" without a position, and a record of a pretty-printed
 * export spans dozens of lines: the error must name the line an editor shows, not the
 * line the record starts on. Only called after `JSON.parse` has failed, so speed is no
 * concern; iterative, so deep nesting cannot overflow the stack.
 */
export interface JsonSyntaxError {
  /** Offset of the offending character (the text's length when it ends too early). */
  offset: number;
  reason: string;
}

const WS = /[ \t\r\n]*/y;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;

export function jsonSyntaxError(text: string): JsonSyntaxError | null {
  let i = 0;
  const skip = () => { WS.lastIndex = i; WS.exec(text); i = WS.lastIndex; };
  const at = (expected: string): JsonSyntaxError =>
    i >= text.length ? { offset: text.length, reason: `the text ends where ${expected} was expected` }
      : { offset: i, reason: `${JSON.stringify(text[i])} where ${expected} was expected` };
  const sticky = (re: RegExp) => { re.lastIndex = i; const m = re.exec(text); if (m) i = re.lastIndex; return m !== null; };
  // After '{' or '[' we expect a member or the closer; after ',' a member; after a value ',' or the closer.
  const stack: ('{' | '[')[] = [];
  let state: 'value' | 'first' | 'after' = 'value';
  for (;;) {
    skip();
    const top = stack[stack.length - 1];
    if (state === 'after') {
      if (!top) { return i < text.length ? at('the end of the text') : null; }
      const close = top === '{' ? '}' : ']';
      if (text[i] === close) { stack.pop(); i++; continue; }
      if (text[i] !== ',') return at(`"," or "${close}"`);
      i++;
      state = 'value';
      if (top === '{') { skip(); if (!sticky(STRING)) return at('a quoted property name'); skip(); if (text[i] !== ':') return at('":"'); i++; state = 'value'; }
      continue;
    }
    if (state === 'first') {
      // Just inside '{' or '[': the closer is allowed here, and only here.
      const close = top === '{' ? '}' : ']';
      if (text[i] === close) { stack.pop(); i++; state = 'after'; continue; }
      if (top === '{') {
        if (!sticky(STRING)) return at(`a quoted property name or "}"`);
        skip();
        if (text[i] !== ':') return at('":"');
        i++;
      }
      state = 'value';
      continue;
    }
    const c = text[i];
    if (c === '{' || c === '[') { stack.push(c); i++; state = 'first'; continue; }
    if (c === '"') { if (!sticky(STRING)) return { offset: i, reason: 'a string that is not closed, or holds a raw control character or a bad escape' }; state = 'after'; continue; }
    if (sticky(NUMBER)) { state = 'after'; continue; }
    if (text.startsWith('true', i) || text.startsWith('null', i)) { i += 4; state = 'after'; continue; }
    if (text.startsWith('false', i)) { i += 5; state = 'after'; continue; }
    return at('a value');
  }
}

/** 1-based line and column of an offset. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let k = text.indexOf('\n'); k >= 0 && k < offset; k = text.indexOf('\n', k + 1)) { line++; start = k + 1; }
  return { line, column: offset - start + 1 };
}
