/**
 * "Vad betyder det här?": a small round button beside a column header, a figure or a status
 * that opens a plain-language explanation in place, with a link to the glossary. A button,
 * not a hover title, so keyboards and touch screens reach it; Escape or a click elsewhere
 * closes it. Its accessible name is the question alone: the header or figure it sits by gives
 * the context, and a button named after the column would be a second match for the column's
 * sort button.
 */
import { useEffect, useId, useRef, useState } from 'react';
import { useI18n } from '../i18n/index.tsx';
import { navigate } from '../router.ts';

export function InfoTip({ text, label }: { text: string | undefined; label: string }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const id = useId();
  const box = useRef<HTMLSpanElement>(null);
  useEffect(() => {
    if (!open) return;
    const away = (e: MouseEvent) => {
      if (box.current && !box.current.contains(e.target as Node)) setOpen(false);
    };
    const esc = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setOpen(false);
    };
    document.addEventListener('mousedown', away);
    document.addEventListener('keydown', esc);
    return () => {
      document.removeEventListener('mousedown', away);
      document.removeEventListener('keydown', esc);
    };
  }, [open]);
  if (!text) return null;
  return (
    <span className="info" ref={box}>
      <button type="button" className="info-btn" aria-expanded={open} aria-controls={id} aria-label={t('explain.title')}
        title={t('explain.button', { what: label })} data-help={label} onClick={() => setOpen((o) => !o)}>
        ?
      </button>
      {open && (
        <span className="info-pop" id={id} role="note">
          <strong className="info-term">{label}</strong>
          <span className="info-text">{text}</span>
          <a className="info-more" href="/glossary" onClick={(e) => { e.preventDefault(); navigate('/glossary'); }}>{t('explain.glossary')}</a>
        </span>
      )}
    </span>
  );
}
