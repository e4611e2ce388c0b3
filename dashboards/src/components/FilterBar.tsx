/**
 * The filters every page shares: period, school unit, learning material. Each change is
 * written to the URL (see filters.ts), so the view can be bookmarked and shared; the
 * "copy link" button copies exactly that.
 */
import { useId, useState, type FormEvent } from 'react';
import type { Me } from '../api/types.ts';
import { useAppliedFilterKeys } from '../appliedFilters.tsx';
import { useI18n } from '../i18n/index.tsx';
import { periodLabel } from '../periodLabel.ts';
import { isDay, periodFromKey, presets } from '../periods.ts';
import type { FilterState } from '../useFilters.ts';
import type { Reference } from '../useReference.ts';

export interface FilterBarProps {
  state: FilterState;
  reference: Reference;
  me?: Me;
  /** Hide the school-unit and product pickers on pages whose report does not take them. */
  showSchool?: boolean;
  showProduct?: boolean;
}

export function FilterBar({ state, reference, me, showSchool = true, showProduct = true }: FilterBarProps) {
  const { t, f } = useI18n();
  const { filters, today, update } = state;
  const id = useId();
  const [customOpen, setCustomOpen] = useState(false);
  const [from, setFrom] = useState(filters.periodFrom);
  const [to, setTo] = useState(filters.periodTo);
  const [rangeError, setRangeError] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const applied = useAppliedFilterKeys();
  // Marked only when set and absent from the report's params: an unset filter is not echoed.
  const schoolApplies = !filters.school || !applied || applied.includes('school');
  const productApplies = !filters.product || !applied || applied.includes('product');
  const groups = presets(today);
  const known = new Set([...groups.schoolYears, ...groups.terms, ...groups.months].map((p) => p.key));
  const current = customOpen || filters.custom ? 'custom' : filters.periodKey;
  const extra = !filters.custom && !known.has(filters.periodKey) ? periodFromKey(filters.periodKey) : null;

  const mySchools = me?.schools?.length ? new Set(me.schools) : null;
  const schools = mySchools ? reference.schools.filter((s) => mySchools.has(s.id)) : reference.schools;
  const schoolMissing = filters.school && !schools.some((s) => s.id === filters.school);

  function onPeriod(value: string) {
    if (value === 'custom') {
      setFrom(filters.periodFrom);
      setTo(filters.periodTo);
      setCustomOpen(true);
      return;
    }
    setCustomOpen(false);
    update({ period: value });
  }

  function applyCustom(e: FormEvent) {
    e.preventDefault();
    if (!isDay(from) || !isDay(to) || from > to) {
      setRangeError(t('filters.invalidRange'));
      return;
    }
    setRangeError(null);
    setCustomOpen(false);
    update({ period: null, from, to });
  }

  async function copyLink() {
    try {
      await navigator.clipboard.writeText(window.location.href);
      setCopied(true);
      setTimeout(() => setCopied(false), 2500);
    } catch {
      // Clipboard refused (permissions): the address bar holds the same link.
    }
  }

  return (
    <form className="filters" aria-label={t('filters.label')} onSubmit={applyCustom}>
      <div className="field">
        <label htmlFor={`${id}-period`}>{t('filters.period')}</label>
        <select id={`${id}-period`} name="period" value={current} onChange={(e) => onPeriod(e.target.value)}>
          <optgroup label={t('filters.schoolYears')}>
            {groups.schoolYears.map((p) => <option key={p.key} value={p.key}>{periodLabel(t, f, p)}</option>)}
          </optgroup>
          <optgroup label={t('filters.terms')}>
            {groups.terms.map((p) => <option key={p.key} value={p.key}>{periodLabel(t, f, p)}</option>)}
          </optgroup>
          <optgroup label={t('filters.months')}>
            {groups.months.map((p) => <option key={p.key} value={p.key}>{periodLabel(t, f, p)}</option>)}
          </optgroup>
          {extra && <option value={extra.key}>{periodLabel(t, f, extra)}</option>}
          <option value="custom">{t('filters.custom')}</option>
        </select>
      </div>
      {(customOpen || filters.custom) && (
        <div className="field-group" role="group" aria-label={t('period.custom')}>
          <div className="field">
            <label htmlFor={`${id}-from`}>{t('filters.from')}</label>
            <input id={`${id}-from`} name="from" type="date" value={from} max={to || undefined} onChange={(e) => setFrom(e.target.value)} required />
          </div>
          <div className="field">
            <label htmlFor={`${id}-to`}>{t('filters.to')}</label>
            <input id={`${id}-to`} name="to" type="date" value={to} min={from || undefined} onChange={(e) => setTo(e.target.value)} required />
          </div>
          <button type="submit" className="btn">{t('filters.apply')}</button>
          {rangeError && <span className="field-error" role="alert">{rangeError}</span>}
        </div>
      )}
      {showSchool && <div className="field">
        <label htmlFor={`${id}-school`}>
          {t('filters.school')}
          {!schoolApplies && <span className="not-applied" id={`${id}-school-na`} title={t('filters.notAppliedHint', { what: t('filters.school').toLowerCase() })}> ({t('filters.notApplied')})</span>}
        </label>
        <select
          id={`${id}-school`}
          name="school"
          value={filters.school ?? ''}
          onChange={(e) => update({ school: e.target.value })}
          aria-describedby={schoolApplies ? undefined : `${id}-school-na`}
        >
          <option value="">{t('filters.allSchools')}</option>
          {schoolMissing && <option value={filters.school}>{reference.schoolName(filters.school!)}</option>}
          {schools.map((s) => <option key={s.id} value={s.id}>{s.name}</option>)}
        </select>
      </div>}
      {showProduct && (
        <div className="field">
          <label htmlFor={`${id}-product`}>
            {t('filters.product')}
            {!productApplies && <span className="not-applied" id={`${id}-product-na`} title={t('filters.notAppliedHint', { what: t('filters.product').toLowerCase() })}> ({t('filters.notApplied')})</span>}
          </label>
          <select
            id={`${id}-product`}
            name="product"
            value={filters.product ?? ''}
            onChange={(e) => update({ product: e.target.value })}
            aria-describedby={productApplies ? undefined : `${id}-product-na`}
          >
            <option value="">{t('filters.allProducts')}</option>
            {filters.product && !reference.products.some((p) => p.id === filters.product) && <option value={filters.product}>{filters.product}</option>}
            {reference.products.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
          </select>
        </div>
      )}
      <div className="filters-end">
      <p className="filters-span" aria-live="polite">
        <span className="filters-dates" data-from={filters.from} data-to={filters.to}>{t('filters.showing', { from: f.date(filters.from), to: f.date(filters.to) })}</span>
      </p>
      <button type="button" className="btn btn-ghost" onClick={copyLink}>{copied ? t('filters.copied') : t('filters.copyLink')}</button>
      </div>
    </form>
  );
}
