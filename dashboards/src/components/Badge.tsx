/** A status label: the word carries the meaning, the colour and the glyph only repeat it. */
import type { ReactNode } from 'react';
import { InfoTip } from './InfoTip.tsx';

export type Tone = 'danger' | 'warn' | 'ok' | 'neutral' | 'info';
const GLYPH: Record<Tone, string> = { danger: '●', warn: '▲', ok: '✓', neutral: '○', info: '◆' };

/** `help` (with `label`, the status in words) adds a "Vad betyder det här?" button after the badge. */
export function Badge({ tone, children, title, help, label }: { tone: Tone; children: ReactNode; title?: string; help?: string; label?: string }) {
  const badge = (
    <span className={`badge badge-${tone}`} title={title}>
      <span aria-hidden="true" className="badge-glyph">{GLYPH[tone]}</span>
      {children}
    </span>
  );
  return help ? <span className="badge-help">{badge}<InfoTip text={help} label={label ?? String(children)} /></span> : badge;
}
