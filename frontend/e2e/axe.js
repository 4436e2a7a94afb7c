// The accessibility check every end-to-end test can call: axe-core's full rule
// set (WCAG 2.x A and AA plus best practices) on the page as it stands, once per
// colour scheme, failing with a readable list of what broke and where.
import AxeBuilder from '@axe-core/playwright';
import { expect } from '@playwright/test';

export const VIEWPORTS = {
  desktop: { width: 1440, height: 900 },
  phone: { width: 390, height: 844 },
};
export const THEMES = ['light', 'dark'];

function describe(violations) {
  return violations
    .map((v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `    ${n.target.join(' ')}`).join('\n')}`)
    .join('\n');
}

/** axe's violations on the page now, in one colour scheme. */
export async function axeViolations(page, { theme = 'light', exclude = [] } = {}) {
  await page.emulateMedia({ colorScheme: theme, reducedMotion: 'reduce' });
  // Let the new scheme's styles apply before reading colours.
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
  let builder = new AxeBuilder({ page });
  for (const selector of exclude) builder = builder.exclude(selector);
  const { violations } = await builder.analyze();
  return violations;
}

/**
 * Fails the test when axe finds anything on the page, in light and dark (or the
 * `themes` given). `label` names the state in the failure message.
 */
export async function expectNoAxeViolations(page, label, { themes = THEMES, exclude = [] } = {}) {
  const found = [];
  for (const theme of themes) {
    let violations = await axeViolations(page, { theme, exclude });
    if (violations.length) {
      // A finding must hold once the page has settled (a scheme switch mid-transition is not one).
      await page.waitForTimeout(1000);
      violations = await axeViolations(page, { theme, exclude });
    }
    const count = violations.reduce((n, v) => n + v.nodes.length, 0);
    if (process.env.AXE_REPORT) console.log(`axe: ${label} [${theme}]: ${count} failing element(s)`);
    if (count) found.push(`[${theme}]\n${describe(violations)}`);
  }
  await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'no-preference' });
  expect(found, `axe on ${label}:\n${found.join('\n')}`).toEqual([]);
}
