/**
 * Shibboleth audit records are not always alone on their line. Sites that send the
 * `Shibboleth-Audit` logger to idp-process.log get logback's pattern in front of each
 * (`2024-09-02 09:12:33,118 - 192.0.2.45 - INFO [Shibboleth-Audit.SSO:283] - ` by default,
 * `16:25:19.395 - INFO [Shibboleth-Audit:1028] - ` with a shorter pattern); sites that
 * ship it through syslog get `Sep  2 09:12:33 idp1 idp-audit: ` or an RFC 5424 header.
 * The record behind the prefix is the same as in idp-audit.log, and is read the same.
 */

export type AuditPrefix = 'logback' | 'syslog';

// Anything up to the audit logger's "[Shibboleth-Audit…:line] - ": the date and MDC parts vary by site.
const LOGBACK = /^.{0,200}?\[Shibboleth-Audit(?:\.[\w.-]+)?(?::\d+)?\]\s+-\s+/;
// RFC 3164 (`Mmm dd hh:mm:ss host tag[pid]: `), rsyslog's ISO variant, and RFC 5424 (`<pri>1 time host app procid msgid sd `).
const SYSLOG = new RegExp(
  '^(?:<\\d{1,3}>)?(?:1 )?'
  + '(?:[A-Z][a-z]{2} [ \\d]\\d \\d{2}:\\d{2}:\\d{2}|\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(?:\\.\\d{1,9})?(?:Z|[+-]\\d{2}:?\\d{2})) '
  + '\\S+ (?:[^\\s:[\\]|]{1,48}(?:\\[\\d+\\])?: |[^\\s|]+ [^\\s|]+ [^\\s|]+ (?:-|\\[[^\\]]*\\]) )',
);

export const AUDIT_PREFIX_LABELS: Record<AuditPrefix, string> = {
  logback: 'in idp-process.log behind logback prefixes',
  syslog: 'behind syslog prefixes',
};

/** Why a line of a prefixed log is not an audit record, for the skip list. */
export const NOT_AUDIT: Record<AuditPrefix, string> = {
  logback: 'not an audit entry (another logger of idp-process.log, or a continuation line)',
  syslog: "not an audit entry (another program's syslog line)",
};

/**
 * The audit record of a line, without its prefix; `null` when the line is not an audit
 * entry at all (idp-process.log holds every logger's lines, and stack traces).
 */
export function stripAuditPrefix(prefix: AuditPrefix, text: string): string | null {
  if (prefix === 'logback') {
    const m = LOGBACK.exec(text);
    return m ? text.slice(m[0].length) : null;
  }
  const m = SYSLOG.exec(text);
  if (!m) return text.includes('|') ? text : null; // a bare record among prefixed ones is still a record
  const rest = text.slice(m[0].length);
  return rest.includes('|') ? rest : null;
}

/** The prefix in front of the audit records of a file's first lines, if any. */
export function detectAuditPrefix(lines: string[]): AuditPrefix | null {
  for (const l of lines.slice(0, 200)) {
    if (LOGBACK.test(l)) return 'logback';
    const m = SYSLOG.exec(l);
    if (m && l.slice(m[0].length).split('|').length >= 10) return 'syslog';
  }
  return null;
}
