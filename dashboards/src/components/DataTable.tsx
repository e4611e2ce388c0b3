/**
 * A sortable table with a title, an optional toolbar and a CSV download of the same
 * report. Column headers are buttons (keyboard reachable) and announce their sort via
 * aria-sort; missing values sort last (see sort.ts). Numbers are right-aligned in
 * tabular figures so columns of money read at a glance.
 */
import { useMemo, useState, type ReactNode } from 'react';
import type { Params } from '../api/client.ts';
import type { ReportName } from '../api/queries.ts';
import { useI18n } from '../i18n/index.tsx';
import { nextSort, sortRows, type SortDir, type SortState, type SortValue } from '../sort.ts';
import { DownloadButtons } from './DownloadButtons.tsx';
import { help } from '../explain.ts';
import { InfoTip } from './InfoTip.tsx';

export interface Column<T> {
  id: string;
  header: ReactNode;
  /** Plain header text for the sort button's label, when `header` is not a string. */
  label?: string;
  /** The value sorted on (and shown, when there is no `cell`). */
  value: (row: T) => SortValue;
  cell?: (row: T) => ReactNode;
  align?: 'left' | 'right';
  /** Direction of the first click: numbers start with the largest. */
  firstDir?: SortDir;
  sortable?: boolean;
  /** The column that names the row (`<th scope="row">`). */
  rowHeader?: boolean;
  className?: string;
  /** What the column means ("Vad betyder det här?"); default the explanation of its id (explain.ts), null for none. */
  help?: string | null;
}

export interface DataTableProps<T> {
  id: string;
  title: ReactNode;
  columns: Column<T>[];
  rows: readonly T[];
  rowKey: (row: T) => string;
  initialSort?: SortState;
  csv?: { report: ReportName; params: Params };
  toolbar?: ReactNode;
  summary?: ReactNode;
  empty?: ReactNode;
  footer?: ReactNode;
  rowClassName?: (row: T) => string | undefined;
  busy?: boolean;
  /** Show this many rows first, with a button for the rest (long class × product lists). */
  pageSize?: number;
}

export function DataTable<T>(props: DataTableProps<T>) {
  const { t, lang } = useI18n();
  const { columns, rows, initialSort } = props;
  const [sort, setSort] = useState<SortState | null>(initialSort ?? null);
  const [showAll, setShowAll] = useState(false);
  const sorted = useMemo(() => {
    const col = sort && columns.find((c) => c.id === sort.key);
    return col ? sortRows(rows, col.value, sort.dir) : [...rows];
  }, [rows, columns, sort]);
  const headingId = `${props.id}-title`;
  const limit = props.pageSize && !showAll && sorted.length > props.pageSize ? props.pageSize : sorted.length;
  const visible = limit < sorted.length ? sorted.slice(0, limit) : sorted;

  return (
    <section className="panel table-panel" aria-labelledby={headingId}>
      <div className="panel-head">
        <h2 id={headingId}>{props.title}</h2>
        <div className="panel-tools">
          {props.toolbar}
          {props.csv && <DownloadButtons report={props.csv.report} params={props.csv.params} />}
        </div>
      </div>
      {props.summary && <div className="panel-summary">{props.summary}</div>}
      {rows.length === 0 && props.empty ? (
        props.empty
      ) : (
        <div className="table-scroll" tabIndex={0} role="region" aria-labelledby={headingId}>
          <table className={`data-table${props.busy ? ' is-busy' : ''}`} aria-busy={props.busy || undefined} id={props.id}>
            <thead>
              <tr>
                {columns.map((c) => {
                  const active = sort?.key === c.id;
                  const ariaSort = active ? (sort!.dir === 'asc' ? 'ascending' : 'descending') : undefined;
                  const sortable = c.sortable !== false;
                  const label = c.label ?? (typeof c.header === 'string' ? c.header : c.id);
                  return (
                    <th key={c.id} scope="col" aria-sort={ariaSort} className={`${c.align === 'right' ? 'num' : ''} ${c.className ?? ''}`}>
                      {sortable ? (
                        <button
                          type="button"
                          className="sort"
                          onClick={() => setSort(nextSort(sort, c.id, c.firstDir ?? (c.align === 'right' ? 'desc' : 'asc')))}
                          title={t('table.sortBy', { col: label })}
                        >
                          {c.header}
                          <span className={`sort-mark${active ? ' on' : ''}`} aria-hidden="true">{active ? (sort!.dir === 'asc' ? '▲' : '▼') : '↕'}</span>
                        </button>
                      ) : (
                        c.header
                      )}
                      <InfoTip text={c.help === undefined ? help(c.id, lang) : (c.help ?? undefined)} label={label} />
                    </th>
                  );
                })}
              </tr>
            </thead>
            <tbody>
              {visible.map((row) => (
                <tr key={props.rowKey(row)} className={props.rowClassName?.(row)}>
                  {columns.map((c) => {
                    const content = c.cell ? c.cell(row) : String(c.value(row) ?? '–');
                    const cls = `${c.align === 'right' ? 'num' : ''} ${c.className ?? ''}`.trim() || undefined;
                    return c.rowHeader ? (
                      <th key={c.id} scope="row" className={cls}>{content}</th>
                    ) : (
                      <td key={c.id} className={cls}>{content}</td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
            {props.footer && <tfoot>{props.footer}</tfoot>}
          </table>
        </div>
      )}
      {rows.length > 0 && <p className="table-count">
        {limit < rows.length ? t('table.rowsShown', { shown: limit, n: rows.length }) : t('table.rows', { n: rows.length })}
      </p>}
      {limit < rows.length && (
        <button type="button" className="btn btn-secondary btn-small show-all" onClick={() => setShowAll(true)}>{t('table.showAll', { n: rows.length })}</button>
      )}
    </section>
  );
}
