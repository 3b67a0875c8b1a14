import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium (deploy/local/chromium.sh); Playwright's own download is not used. */
const CHROMIUM = process.env.ITSM_CHROMIUM_BIN ?? '/usr/bin/chromium';
const SERIOUS = new Set(['serious', 'critical']);
/** A folder to save each screen in (docs/console.md's screenshots), when set. */
const SCREENSHOTS = process.env.ITSM_CONSOLE_SCREENSHOTS;

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // As root (CI runs as root) Chromium refuses its sandbox.
    args: ['--no-sandbox'],
  });
}

/** A page in a context of its own: axe-core's builder opens pages in the page's context. */
export async function newPage(browser: Browser, baseURL: string): Promise<Page> {
  return (await browser.newContext({ baseURL })).newPage();
}

export async function screenshot(page: Page, name: string): Promise<void> {
  if (SCREENSHOTS) await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

/** One part of a long page, in a window tall enough that the fixed header hides none of it. */
export async function screenshotOf(page: Page, testId: string, name: string): Promise<void> {
  if (!SCREENSHOTS) return;
  const viewport = page.viewportSize();
  await page.setViewportSize({ width: viewport?.width ?? 1280, height: 3000 });
  await page.getByTestId(testId).screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
  if (viewport) await page.setViewportSize(viewport);
}

/** What axe-core finds serious or critical on the page as it is now. */
export async function seriousViolations(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations
    .filter((violation) => SERIOUS.has(violation.impact ?? ''))
    .map(
      (violation) =>
        `${violation.id}: ${violation.help} at ${violation.nodes.map((node) => `${node.target.join(' ')} (${node.failureSummary ?? ''})`).join('; ')}`,
    );
}

/** Signs in with the local issuer's form. */
export async function signIn(page: Page, username: string): Promise<void> {
  await page.getByLabel('User name').fill(username);
  await page.locator('input[name=password]').fill('itsm-dev');
  await page.getByRole('button', { name: 'Sign in' }).click();
}
