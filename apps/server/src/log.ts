/**
 * The service's one logger; nothing else in the server writes to the console. A message alone
 * is a line for people (the start, a stop, ingest's own reports); a message with fields is
 * one JSON object per line, `{"level", "msg", ...fields}`, for a log collector to count and
 * alert on. Information goes to stdout, warnings and errors to stderr. Fields never hold an
 * identifier as given: only pseudonyms, counts, names of tables and error kinds.
 */
type Fields = Record<string, unknown>;
type Level = 'info' | 'warn' | 'error';

function write(level: Level, msg: string, fields?: Fields): void {
  const line = fields ? JSON.stringify({ level, msg, ...fields }) : msg;
  if (level === 'info') console.log(line);
  else console.error(line);
}

export const log = {
  info: (msg: string, fields?: Fields) => write('info', msg, fields),
  warn: (msg: string, fields?: Fields) => write('warn', msg, fields),
  error: (msg: string, fields?: Fields) => write('error', msg, fields),
};

/** What the service's parts take as their `log` option: one line of information. */
export type LogLine = (message: string) => void;
export const logLine: LogLine = (message) => log.info(message);
