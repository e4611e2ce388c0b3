/** A status label: the word carries the meaning, the colour and the glyph only repeat it. */
import type { ReactNode } from 'react';

export type Tone = 'danger' | 'warn' | 'ok' | 'neutral' | 'info';
const GLYPH: Record<Tone, string> = { danger: '●', warn: '▲', ok: '✓', neutral: '○', info: '◆' };

export function Badge({ tone, children, title }: { tone: Tone; children: ReactNode; title?: string }) {
  return (
    <span className={`badge badge-${tone}`} title={title}>
      <span aria-hidden="true" className="badge-glyph">{GLYPH[tone]}</span>
      {children}
    </span>
  );
}
