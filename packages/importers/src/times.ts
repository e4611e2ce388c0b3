import { DATETIME_WITH_OFFSET_RE } from '@licenskoll/core';

/**
 * Event times as logs write them, turned into ISO-8601 with an offset (what `eventInput`
 * demands). A time without an offset is read in `timeZone`: Shibboleth and SATOSA sites
 * can configure local-time stamps, and guessing UTC for them would move evening logins to
 * the next day in the reports.
 */
const ISO_WITH_COLON_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

export function toIsoTime(raw: unknown, timeZone = 'UTC'): string | null {
  if (typeof raw === 'number') return epochToIso(raw);
  if (typeof raw !== 'string') return null;
  // Fast path for what almost every log writes (ISO_INSTANT, Graph): a million lines should not run eight regexes each.
  if (ISO_WITH_COLON_OFFSET.test(raw)) return Number.isNaN(Date.parse(raw)) ? null : raw;
  let s = raw.trim();
  if (/^\d{9,13}(\.\d+)?$/.test(s)) return epochToIso(Number(s));
  // v2/v3 Shibboleth default: 20240902T071233Z
  const compact = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/.exec(s);
  if (compact) {
    const [, y, mo, d, h, mi, se, frac = '', off = ''] = compact;
    s = `${y}-${mo}-${d}T${h}:${mi}:${se}${frac}${off}`;
  }
  s = s.replace(/^(\d{4}-\d{2}-\d{2}) (\d{2}:)/, '$1T$2').replace(/ ?(Z|[+-]\d{2}:?\d{2})$/i, '$1');
  // Joda's ZZ writes +02:00, Z writes +0200; Date.parse wants the colon.
  s = s.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  if (DATETIME_WITH_OFFSET_RE.test(s)) {
    return Number.isNaN(Date.parse(s)) ? null : s;
  }
  const local = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?$/.exec(s);
  if (!local) return null;
  const [, y, mo, d, h, mi, se = '0', frac = ''] = local;
  const ms = frac ? Math.round(Number(`0${frac}`) * 1000) : 0;
  const wall = Date.UTC(+y, +mo - 1, +d, +h, +mi, +se, ms);
  if (Number.isNaN(wall)) return null;
  return new Date(wall - zoneOffsetMs(wall, timeZone)).toISOString();
}

function epochToIso(n: number): string | null {
  // Seconds (LTI iat) or milliseconds (JavaScript loggers): 1e11 s is the year 5138.
  const ms = n > 1e11 ? n : n * 1000;
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** Offset of `timeZone` from UTC at a wall-clock instant, in ms; DST-correct to within the ambiguous hour. */
function zoneOffsetMs(wallAsUtc: number, timeZone: string): number {
  if (timeZone === 'UTC') return 0;
  const f = formatter(timeZone);
  const offsetAt = (utc: number) => {
    const p = Object.fromEntries(f.formatToParts(new Date(utc)).map((x) => [x.type, x.value]));
    return Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second) - Math.floor(utc / 1000) * 1000;
  };
  const first = offsetAt(wallAsUtc);
  return offsetAt(wallAsUtc - first);
}

const formatters = new Map<string, Intl.DateTimeFormat>();
/** Building a formatter costs tens of microseconds: once per zone, not once per log line. */
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  return f;
}
