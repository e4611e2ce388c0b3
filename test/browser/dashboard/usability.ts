/** Language, keyboard, tablet width and signing out. Steps of dashboard.test.ts, in its order. */
import { expect } from 'vitest';
import { poll } from '../../helpers/browser.ts';
import { api, shot, settled, goTo, onScreen, kpi, en, page, base, token, pickedSchool } from './session.ts';

/** switches to English with one click, with English formats, and back */
export async function english(): Promise<void> {
  await goTo(/^Översikt$/);
  await page.getByRole('button', { name: 'Switch to English' }).click();
  await poll(() => page.getByRole('heading', { level: 1 }).innerText()).toBe('Overview');
  expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
  const span = (await page.locator('.filters-dates').innerText()).split(' – ');
  expect(span[0]).toMatch(/^\d{1,2} [A-Z][a-z]{2} \d{4}$/);
  const report = await api(`/v1/reports/overview?${await onScreen()}`);
  expect(await kpi('cost')).toBe(en.money(report.totals.cost));
  await shot('10-overview-english');
  await page.getByRole('button', { name: 'Byt till svenska' }).click();
  await poll(() => page.getByRole('heading', { level: 1 }).innerText()).toBe('Översikt');
}

/** is usable by keyboard, labels every control, and fits a tablet */
export async function keyboardAndTablet(): Promise<void> {
  await page.evaluate(() => localStorage.setItem('licenskoll.lang', 'sv'));
  await page.goto(base + '/overview');
  await settled();
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Hoppa till innehållet');
  await page.keyboard.press('Enter');
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
  for (const path of ['/overview', '/licences', '/classes', '/followup', '/unmapped']) {
    await page.goto(base + path);
    await settled();
    const unlabelled = await page.evaluate(() =>
      [...document.querySelectorAll('select, input, textarea, button')]
        .filter((el) => {
          const e = el as HTMLInputElement;
          if (e.type === 'hidden') return false;
          const named = (e.labels && e.labels.length > 0) || e.getAttribute('aria-label') || (e.tagName === 'BUTTON' && e.textContent?.trim());
          return !named;
        })
        .map((el) => el.outerHTML.slice(0, 80)),
    );
    expect(unlabelled, path).toEqual([]);
  }
  // Sort a column from the keyboard.
  await page.goto(base + '/licences');
  await settled();
  await page.getByRole('button', { name: /^Beställare/ }).focus();
  await page.keyboard.press('Enter');
  expect(await page.locator('#licences th[aria-sort]').innerText()).toContain('Beställare');

  await page.setViewportSize({ width: 820, height: 1180 });
  for (const [path, name] of [['/overview', '11-tablet-oversikt'], [`/classes?school=${pickedSchool}`, '12-tablet-klasser'], ['/classes', '12-tablet-klasser-valj'], ['/followup', '13-tablet-uppfoljning']]) {
    await page.goto(base + path);
    await settled();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, `${path} scrolls sideways at tablet width`).toBeLessThanOrEqual(0);
    await shot(name);
  }
  await page.setViewportSize({ width: 1366, height: 900 });
}

/** signs out and forgets the token */
export async function signOut(): Promise<void> {
  await page.getByRole('button', { name: 'Logga ut' }).click();
  await poll(() => page.getByRole('heading', { level: 1 }).innerText()).toBe('Logga in');
  expect(await page.evaluate(() => sessionStorage.getItem('licenskoll.token'))).toBeNull();
}
