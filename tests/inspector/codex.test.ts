// The Inspector driving Codex's own app-server: `codex app-server --listen ws://127.0.0.1:0` (the
// 0.169.0 binary from the benchmark cache, bench/vs-codex/install-codex.mjs), configured as the
// vs-codex bench configures it (a CODEX_HOME whose config.toml points at the fake Responses server,
// nothing else reached), then `keel inspect --connect` to it: the page connects (its status names
// Codex's userAgent), starts a thread, sends a prompt, shows the streamed answer, and the raw log
// holds Codex's notifications. Skipped, with the reason printed, where Codex is not in the cache.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { PAGE_WAIT, launchBrowser, noBrowserReason, openPage, screenshot } from '../helpers/browser.js';
import { repoRoot } from '../helpers/conformance.js';
import { startInspector, stopAllInspectors } from '../helpers/inspector.js';

// The bench's own modules (plain .mjs, untyped): imported by URL so their lookups are reused as they are.
const bench = (file: string) => import(pathToFileURL(path.join(repoRoot, 'bench', 'vs-codex', file)).href);
const install = (await bench('install-codex.mjs')) as { CODEX_VERSION: string; cacheDir(): string; nativeBinary(prefix: string): string | null };
const { startModelServer } = (await bench('model-server.mjs')) as { startModelServer(): Promise<{ url: string; close(): Promise<void> }> };
const { configToml } = (await bench('contenders.mjs')) as { configToml(modelUrl: string, extra: { topLevel: string[]; tables: string[] }): string };
const { CODEX_TOP_LEVEL, CODEX_TABLES } = (await bench('codex-config.mjs')) as { CODEX_TOP_LEVEL: string[]; CODEX_TABLES: string[] };

/** The cached Codex binary when it is there and runs; otherwise why not. */
function findCodex(): { binary: string } | { reason: string } {
  const missing = `Codex ${install.CODEX_VERSION} is not in the benchmark cache (${install.cacheDir()}): run node bench/vs-codex/install-codex.mjs`;
  const binary = install.nativeBinary(install.cacheDir());
  if (binary === null) return { reason: missing };
  const version = spawnSync(binary, ['--version'], { encoding: 'utf8', timeout: 30_000 });
  if (version.status !== 0 || !version.stdout.includes(install.CODEX_VERSION)) return { reason: `${binary} does not run here as ${install.CODEX_VERSION}: ${(version.stderr || version.stdout || version.error?.message || '').trim()}` };
  return { binary };
}

const codex = findCodex();
const skipReason = noBrowserReason ?? ('reason' in codex ? codex.reason : null);
if (skipReason !== null) console.log(`tests/inspector/codex.test.ts skipped: ${skipReason}`);

/** Codex's app-server on a free loopback port; its address read from what it prints on stderr. */
async function startCodex(binary: string, home: string): Promise<{ url: string; child: ChildProcess; stderr(): string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, CODEX_HOME: home, HOME: home };
  for (const name of ['OPENAI_API_KEY', 'OPENAI_BASE_URL', 'KEEL_SCRIPT', 'KEEL_HOME']) delete env[name];
  const child = spawn(binary, ['app-server', '--listen', 'ws://127.0.0.1:0'], { env, cwd: home, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`codex app-server did not listen within 30 s; stderr:\n${stderr}`)), 30_000);
    readline.createInterface({ input: child.stderr! }).on('line', (line) => {
      stderr += line + '\n';
      const match = /listening on:\s*(ws:\/\/\S+)/.exec(line);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`codex app-server exited (${code}) before it listened; stderr:\n${stderr}`));
    });
  });
  return { url, child, stderr: () => stderr };
}

describe('keel inspect --connect to Codex 0.169.0', () => {
  let browser: Browser | undefined;
  const cleanups: Array<() => Promise<unknown> | unknown> = [];
  afterAll(async () => {
    await browser?.close();
    await stopAllInspectors();
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it.skipIf(skipReason !== null)(`drives codex app-server over ws://${skipReason === null ? '' : ` (skipped: ${skipReason})`}`, { timeout: 120_000 }, async () => {
    const binary = (codex as { binary: string }).binary;
    const model = await startModelServer();
    cleanups.push(() => model.close());
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-inspect-codex-'));
    cleanups.push(() => fs.rmSync(home, { recursive: true, force: true }));
    fs.writeFileSync(path.join(home, 'config.toml'), configToml(model.url, { topLevel: CODEX_TOP_LEVEL, tables: CODEX_TABLES }));
    const server = await startCodex(binary, home);
    cleanups.push(() => new Promise<void>((resolve) => (server.child.exitCode !== null ? resolve() : (server.child.once('exit', () => resolve()), server.child.kill('SIGTERM')))));

    const inspector = await startInspector({ args: ['--connect', server.url] });
    browser = await launchBrowser();
    const errors: string[] = [];
    const page = await openPage(browser, inspector.url, errors);
    // Codex's userAgent: the client's name, Codex's version.
    await expect.poll(() => page.getByRole('status', { name: 'Connection' }).textContent(), PAGE_WAIT).toMatch(new RegExp(`^connected to keel-inspector/${install.CODEX_VERSION.replaceAll('.', '\\.')} `));

    await page.getByRole('button', { name: 'New thread' }).click();
    await page.getByLabel('Message').fill('hello');
    await page.getByRole('button', { name: 'Send' }).click();
    const turn = page.getByRole('region', { name: 'Turn 1' });
    await expect.poll(() => turn.getAttribute('data-turn-status'), { timeout: 60_000 }).toBe('completed');
    const answers = await turn.locator('[data-item-type="agentMessage"]').allTextContents();
    expect(answers).toHaveLength(1);
    expect(answers[0]).toContain('Hello!'); // the fake model's two deltas, 'Hel' + 'lo!'
    await screenshot(page, 'codex-thread');
    // "New thread" then Send, quicker than Codex answers thread/start: one thread, not two.
    expect(await page.getByRole('list', { name: 'Thread list' }).locator('li[data-thread-id]').count()).toBe(1);

    await page.getByRole('tab', { name: 'Raw log' }).click();
    const rows = page.getByRole('list', { name: 'Messages' }).locator('li[data-direction="in"]');
    const methodsLogged = async () => new Set(await rows.evaluateAll((items) => items.map((item) => item.getAttribute('data-method'))));
    await expect.poll(async () => (await methodsLogged()).has('turn/completed'), PAGE_WAIT).toBe(true);
    const methods = await methodsLogged();
    for (const method of ['thread/started', 'turn/started', 'item/agentMessage/delta', 'turn/completed']) expect(methods).toContain(method);
    await screenshot(page, 'codex-log');

    expect(errors).toEqual([]);
    expect(await inspector.stop()).toBe(0);
  });
});
