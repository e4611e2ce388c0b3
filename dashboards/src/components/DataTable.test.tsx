import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { I18nProvider } from '../i18n/index.tsx';
import { DataTable, type Column } from './DataTable.tsx';

interface Row { id: string; name: string; cost: number | null }
const rows: Row[] = [
  { id: 'a', name: 'Binogi', cost: 200 },
  { id: 'b', name: 'Studi', cost: null },
  { id: 'c', name: 'Matte Direkt', cost: 900 },
];
const columns: Column<Row>[] = [
  { id: 'name', header: 'Läromedel', value: (r) => r.name, rowHeader: true },
  { id: 'cost', header: 'Kostnad', value: (r) => r.cost, align: 'right' },
];

function render(extra: Partial<Parameters<typeof DataTable<Row>>[0]> = {}) {
  return renderToStaticMarkup(
    <I18nProvider>
      <DataTable<Row> id="t" title="Tabell" columns={columns} rows={rows} rowKey={(r) => r.id} {...extra} />
    </I18nProvider>,
  );
}
const order = (html: string) => [...html.matchAll(/<th scope="row"[^>]*>([^<]+)<\/th>/g)].map((m) => m[1]);

describe('DataTable', () => {
  it('renders rows in the initial sort with missing values last and announces it', () => {
    const html = render({ initialSort: { key: 'cost', dir: 'desc' } });
    expect(order(html)).toEqual(['Matte Direkt', 'Binogi', 'Studi']);
    expect(html).toContain('aria-sort="descending"');
    expect(html).toContain('3 rader');
  });
  it('keeps the API order without a sort', () => {
    expect(order(render())).toEqual(['Binogi', 'Studi', 'Matte Direkt']);
  });
  it('makes every sortable header a button with a label', () => {
    const html = render();
    expect(html.match(/<button type="button" class="sort" title="Sortera efter (Läromedel|Kostnad)"/g)).toHaveLength(2);
  });
  it('shows the first page and a button for the rest', () => {
    const html = render({ pageSize: 2, initialSort: { key: 'name', dir: 'asc' } });
    expect(order(html)).toEqual(['Binogi', 'Matte Direkt']);
    expect(html).toContain('Visar 2 av 3 rader');
    expect(html).toContain('Visa alla 3 rader');
  });
  it('shows the empty state instead of an empty table', () => {
    const html = render({ rows: [], empty: <p>Inga licenser</p> });
    expect(html).toContain('Inga licenser');
    expect(html).not.toContain('<table');
  });
});
