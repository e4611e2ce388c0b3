/** Klasser: the class × product heat map. Steps of dashboard.test.ts, in its order. */
import { expect } from 'vitest';
import { api, shot, settled, goTo, onScreen, sv, page, pick } from './session.ts';

/** Klasser shows the class × product heat map and the classes that never opened a paid material */
export async function classes(): Promise<void> {
  await goTo(/^Klasser$/);
  const schools = await page.getByLabel(/^Skolenhet/).locator('option').all();
  const school = await schools[1].getAttribute('value');
  await page.getByLabel(/^Skolenhet/).selectOption(school!);
  await page.waitForURL(new RegExp(`school=${school}`));
  pick(school!);
  await settled();
  const report = await api<{ rows: any[] }>(`/v1/reports/class-usage?${await onScreen()}`);
  const classes = report.rows.filter((r) => r.groupType === 'Klass');
  // A class outside a product's target (docs/figures.md, figure 13) is neutral, never "aldrig".
  const never = new Set(classes.filter((r) => r.enrolled > 0 && r.active === 0 && r.inTarget !== false).map((r) => r.group));
  expect(await page.locator('.heatmap tbody tr').count()).toBe(new Set(classes.map((r) => r.group)).size);
  const outside = classes.filter((r) => r.inTarget === false && r.enrolled > 0 && r.adoption !== null).length;
  expect(await page.locator('.heatmap .hm-outside').count()).toBe(outside);
  expect(await page.locator('.heatmap .hm-never').count()).toBe(classes.filter((r) => r.enrolled > 0 && r.active === 0 && r.inTarget !== false).length);
  if (classes.some((r) => r.inTarget === null)) expect(await page.getByTestId('target-missing').innerText()).toMatch(/^Målgrupp saknas för /);
  if (never.size) {
    expect(await page.locator('[data-flagged]').getAttribute('data-flagged')).toBe(String(never.size));
    expect(await page.locator('.heatmap .hm-never').count()).toBeGreaterThan(0);
    expect(await page.locator('.heatmap .hm-never').first().innerText()).toMatch(/aldrig/i);
  }
  // A cell's figure is printed, not only coloured.
  const used = classes.find((r) => r.active > 0);
  if (used) expect(await page.locator('.heatmap').innerText()).toContain(sv.percent(used.adoption));
  await shot('03-klasser');
}
