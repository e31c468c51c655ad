// docs/inspector.png, the README's picture of the Inspector: a thread where the scripted model
// wrote a patch (approved: its diff shows) and then a second one, whose approval dialog is waiting.
// Run after `npm run build`; needs Debian's chromium (or KEEL_TEST_CHROMIUM). Nothing leaves the machine.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = fileURLToPath(new URL('..', import.meta.url));
const output = path.join(root, 'docs', 'inspector.png');
const chromiumPath = process.env.KEEL_TEST_CHROMIUM ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((file) => fs.existsSync(file));
if (chromiumPath === undefined) {
  console.error('inspector-screenshot: no chromium here (apt-get install chromium, or set KEEL_TEST_CHROMIUM)');
  process.exit(1);
}

const patch = (file, lines) => ({ toolCall: { name: 'apply_patch', arguments: { input: `*** Begin Patch\n*** Add File: ${file}\n${lines.map((line) => `+${line}`).join('\n')}\n*** End Patch\n` } } });
const SCRIPT = [
  [
    { reasoningSummary: 'The user wants a greeting module and a test for it.' },
    { text: 'I will add `greet.ts` first:\n\n```ts\nexport const greet = (name: string) => `Hello, ${name}!`;\n```' },
    patch('greet.ts', ['export function greet(name: string): string {', '  return `Hello, ${name}!`;', '}']),
  ],
  [{ text: 'Now its test.' }, patch('greet.test.ts', ["import { greet } from './greet';", '', "test('greets', () => expect(greet('Keel')).toBe('Hello, Keel!'));"])],
  [{ text: 'Both files are in place.' }],
];

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-inspector-screenshot-'));
fs.writeFileSync(path.join(home, 'script.json'), JSON.stringify(SCRIPT));
const env = { ...process.env, KEEL_HOME: home, KEEL_SCRIPT: path.join(home, 'script.json'), KEEL_LOG: 'warn' };
for (const name of ['OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'OPENAI_BASE_URL', 'ANTHROPIC_BASE_URL', 'KEEL_DB']) delete env[name];
const inspector = spawn(process.execPath, [path.join(root, 'dist', 'keel.cjs'), 'inspect', '-c', 'approval_policy="untrusted"'], { env, cwd: home, stdio: ['ignore', 'pipe', 'inherit'] });
// However this script ends (an error, a timeout), the inspector and its Keel end with it.
process.on('exit', () => inspector.kill('SIGTERM'));
const url = await new Promise((resolve, reject) => {
  readline.createInterface({ input: inspector.stdout }).on('line', (line) => {
    const match = /^open (\S+)$/.exec(line);
    if (match) resolve(match[1]);
  });
  inspector.once('exit', (code) => reject(new Error(`keel inspect exited (${code}) before printing its address (is dist/ built? npm run build)`)));
});

const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, deviceScaleFactor: 1 });
  await page.goto(url);
  await page.getByRole('status', { name: 'Connection' }).filter({ hasText: /^connected to / }).waitFor();
  await page.getByRole('button', { name: 'New thread' }).click();
  await page.getByLabel('Message').fill('Add a greeting function and its test');
  await page.getByRole('button', { name: 'Send' }).click();
  const dialog = page.getByRole('dialog', { name: 'Approval requested' });
  await dialog.waitFor();
  await dialog.getByRole('button', { name: 'Accept', exact: true }).click();
  // The first patch applied (its diff in the thread), the second one's approval waiting.
  await page.getByRole('main', { name: 'Thread' }).locator('table[aria-label^="Diff of"]').first().waitFor();
  await page.locator('[data-item-type="fileChange"]').nth(1).waitFor();
  await dialog.waitFor();
  fs.mkdirSync(path.dirname(output), { recursive: true });
  await page.screenshot({ path: output });
  console.log(`wrote ${path.relative(root, output)}`);
} finally {
  await browser.close();
  await new Promise((resolve) => (inspector.once('exit', resolve), inspector.kill('SIGTERM')));
  fs.rmSync(home, { recursive: true, force: true });
}
