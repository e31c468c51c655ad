// A real browser for the Inspector's tests: Debian's chromium (or KEEL_TEST_CHROMIUM), driven by
// playwright-core, which downloads nothing. Where no chromium is installed the browser tests skip
// with that reason, unless KEEL_TEST_BROWSER_REQUIRED=1 (CI sets it) makes them fail instead.
// Screenshots go to test-artifacts/inspector/ (kept by CI; ignored by git).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { stopAllInspectors } from './inspector.js';
import { repoRoot } from './conformance.js';

export const chromiumPath = process.env.KEEL_TEST_CHROMIUM ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((file) => fs.existsSync(file)) ?? null;
export const browserRequired = process.env.KEEL_TEST_BROWSER_REQUIRED === '1';
/** Why the browser tests cannot run here, or null when they can. */
export const noBrowserReason = chromiumPath === null ? 'no chromium here (apt-get install chromium, or set KEEL_TEST_CHROMIUM)' : null;
if (noBrowserReason !== null && browserRequired) throw new Error(`KEEL_TEST_BROWSER_REQUIRED=1 but ${noBrowserReason}`);

export const artifactsDir = path.join(repoRoot, 'test-artifacts', 'inspector');

export async function launchBrowser(): Promise<Browser> {
  if (chromiumPath === null) throw new Error(noBrowserReason!);
  // --no-sandbox: CI runs as root, where chromium's own sandbox refuses to start.
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
}

export interface OpenPageOptions {
  /** Lets a test inject a script (axe-core) past the page's CSP; the page itself never needs it. */
  bypassCSP?: boolean;
  /** Called with the page before it navigates: listeners that must see its first frames (page-conformance.ts). */
  beforeNavigation?: (page: Page) => void | Promise<void>;
  /** Added to the context's options (e.g. `permissions: ['clipboard-read', 'clipboard-write']`). */
  context?: BrowserContextOptions;
}

/**
 * One browser for a test file: launched before its tests, closed after them with every inspector
 * they left running. Returns the getter its tests call.
 */
export function browserPerFile(): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await stopAllInspectors();
  });
  return () => browser!;
}

/** A page with the size the screenshots are taken at, logging the page's own errors into `errors`. */
export async function openPage(browser: Browser, url: string, errors: string[] = [], options: OpenPageOptions = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, bypassCSP: options.bypassCSP ?? false, ...options.context });
  const page = await context.newPage();
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await options.beforeNavigation?.(page);
  await page.goto(url);
  return page;
}

/** Saves a screenshot of the whole page as test-artifacts/inspector/NAME.png; returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(artifactsDir, { recursive: true });
  const file = path.join(artifactsDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: false });
  return file;
}

/**
 * How long a browser test waits on a condition (expect.poll's own default is 1 s): long enough for
 * a loaded machine running the whole suite, never a measure of speed.
 */
export const PAGE_WAIT = { timeout: 30_000 } as const;
