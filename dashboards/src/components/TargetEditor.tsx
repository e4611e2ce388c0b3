/**
 * Sets a licence's target (målgrupp) from the Licenser page: school forms, years and duty
 * roles as text (`GR`, `7-9`, `Lärare`); the API checks them and names a mistake
 * (`9-7` runs backwards). Empty fields clear the licence's own target: its product's applies.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { saveForvaltning, saveTarget } from '../api/mutations.ts';
import type { LicenceRow } from '../api/types.ts';
import { useI18n } from '../i18n/index.tsx';
import { yearsText } from '../targetText.ts';

export function TargetEditor({ row, onClose }: { row: LicenceRow; onClose: () => void }) {
  const { t } = useI18n();
  const id = useId();
  const qc = useQueryClient();
  const own = row.target;
  const [forms, setForms] = useState(own?.schoolTypes.join(', ') ?? '');
  const [years, setYears] = useState(own ? yearsText(own.years).replace(/–/g, '-') : '');
  const [roles, setRoles] = useState(own?.dutyRoles.join(', ') ?? '');
  const [forvaltning, setForvaltning] = useState(row.forvaltning ?? '');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setMessage(null);
    try {
      // The förvaltning first: a target warning keeps the form open, and the förvaltning is saved either way.
      if (forvaltning.trim() !== (row.forvaltning ?? '')) await saveForvaltning(qc, row.licence, forvaltning.trim());
      const res = await saveTarget(qc, 'licences', row.licence, {
        schoolTypes: forms, years, dutyRoles: roles.split(',').map((s) => s.trim()).filter(Boolean),
      });
      if (res.warning) setMessage(res.warning);
      else onClose();
    } catch (err) {
      setMessage((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="panel target-editor" onSubmit={submit} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('target.editTitle', { licence: row.productName ?? row.product })}</h2>
      <div className="field"><label htmlFor={`${id}-forms`}>{t('target.schoolTypes')}</label><input id={`${id}-forms`} value={forms} placeholder="GR" onChange={(e) => setForms(e.target.value)} /></div>
      <div className="field"><label htmlFor={`${id}-years`}>{t('target.years')}</label><input id={`${id}-years`} value={years} placeholder="7-9" onChange={(e) => setYears(e.target.value)} /></div>
      <div className="field"><label htmlFor={`${id}-roles`}>{t('target.dutyRoles')}</label><input id={`${id}-roles`} value={roles} placeholder="Lärare" onChange={(e) => setRoles(e.target.value)} /></div>
      <div className="field"><label htmlFor={`${id}-forv`}>{t('target.forvaltning')}</label><input id={`${id}-forv`} value={forvaltning} placeholder={t('target.forvaltningHint')} maxLength={200} onChange={(e) => setForvaltning(e.target.value)} /></div>
      <button type="submit" className="btn btn-primary" disabled={busy}>{t('target.save')}</button>
      <button type="button" className="btn btn-ghost" onClick={onClose}>{t('common.close')}</button>
      {message && <p className="hint" role="alert">{message}</p>}
    </form>
  );
}
