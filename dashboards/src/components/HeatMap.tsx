/**
 * The class × product adoption heat map: a real table (row and column headers for screen
 * readers), every cell printing its share, colour only repeating it. A paid material a
 * class never opened is hatched and labelled "aldrig"; a class without pupils shows a dash.
 */
import type { ClassMatrix } from '../classMatrix.ts';
import { isNeverOpened, isOutsideTarget } from '../classMatrix.ts';
import { SHARE_SCALE, shareSwatch } from '../colours.ts';
import { useI18n } from '../i18n/index.tsx';

export function HeatMap({ matrix, busy }: { matrix: ClassMatrix; busy?: boolean }) {
  const { t, f } = useI18n();
  const showSchool = matrix.schools > 1;
  return (
    <div className="table-scroll heatmap-scroll" tabIndex={0} role="region" aria-labelledby="heatmap-title">
      <table className={`heatmap${busy ? ' is-busy' : ''}`} aria-busy={busy || undefined}>
        <thead>
          <tr>
            <th scope="col" className="hm-class">{t('col.class')}</th>
            <th scope="col" className="num">{t('col.enrolled')}</th>
            {matrix.products.map((p) => <th key={p.id} scope="col" className="hm-product"><span>{p.name}</span></th>)}
            <th scope="col" className="num">{t('classes.neverCount')}</th>
          </tr>
        </thead>
        <tbody>
          {matrix.classes.map((c) => (
            <tr key={c.key} className={c.neverOpened ? 'hm-flagged' : undefined}>
              <th scope="row" className="hm-class">
                {c.groupName}
                {showSchool && <span className="cell-sub">{c.schoolName}</span>}
              </th>
              <td className="num">{f.number(c.enrolled)}</td>
              {matrix.products.map((p) => {
                const r = c.cells.get(p.id);
                if (!r) return <td key={p.id} className="hm-cell hm-none"><span aria-hidden="true">·</span></td>;
                const title = t('classes.cell', {
                  class: c.groupName, product: p.name, active: f.number(r.active), enrolled: f.number(r.enrolled), pct: f.percent(r.adoption), last: r.lastActive ? f.date(r.lastActive) : t('common.never'),
                });
                if (r.adoption === null || r.enrolled === 0) {
                  return <td key={p.id} className="hm-cell hm-empty" title={title}>{f.percent(null)}</td>;
                }
                if (isOutsideTarget(r)) {
                  return (
                    <td key={p.id} className="hm-cell hm-outside" title={`${title} · ${t('target.outsideClass')}`} data-outside="true">
                      <span className="hm-value">{f.percent(r.adoption)}</span>
                    </td>
                  );
                }
                if (isNeverOpened(r)) {
                  return (
                    <td key={p.id} className="hm-cell hm-never" title={title}>
                      <span className="hm-value">{f.percent(0)}</span>
                      <span className="hm-flag">{t('classes.neverShort')}</span>
                    </td>
                  );
                }
                const sw = shareSwatch(r.adoption);
                return (
                  <td key={p.id} className="hm-cell" style={{ background: sw.bg, color: sw.fg }} title={title}>
                    <span className="hm-value">{f.percent(r.adoption)}</span>
                  </td>
                );
              })}
              <td className="num">{c.neverOpened ? <strong className="text-danger">{c.neverOpened}</strong> : '0'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function HeatMapLegend() {
  const { t, f } = useI18n();
  const steps = SHARE_SCALE.map((sw, i) => ({ sw, label: `${f.percent(i / SHARE_SCALE.length)} – ${f.percent((i + 1) / SHARE_SCALE.length)}` }));
  return (
    <div className="legend">
      <p className="legend-title">{t('classes.legend')}:</p>
      <ul>
        {steps.map((s) => (
          <li key={s.label}><span className="legend-swatch" style={{ background: s.sw.bg, color: s.sw.fg }} aria-hidden="true">%</span>{s.label}</li>
        ))}
        <li><span className="legend-swatch hm-never" aria-hidden="true">!</span>{t('classes.neverOpened')}</li>
        <li><span className="legend-swatch hm-empty" aria-hidden="true">–</span>{t('classes.noPupils')}</li>
        <li><span className="legend-swatch hm-outside" aria-hidden="true">%</span>{t('target.outsideClass')}</li>
      </ul>
    </div>
  );
}
