// The README's first command: `keel exec` on the built-in scripted provider (no API key), in a
// fresh directory with an empty KEEL_HOME. The scripted model (demo/script.json) patches in a file
// — Keel asks for approval, `--yes` gives it — then reads it back with a command, sandboxed by
// bubblewrap when the machine has it.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-demo-'));
const hasBwrap = spawnSync('sh', ['-c', 'command -v bwrap'], { stdio: 'ignore' }).status === 0;
const sandbox = hasBwrap ? 'workspace-write' : 'danger-full-access';
const args = [path.join(root, 'dist', 'keel.cjs'), 'exec', '--approval', 'untrusted', '--sandbox', sandbox, '--yes', 'Create hello.txt saying hello, then show it.'];
console.error(`$ keel exec --approval untrusted --sandbox ${sandbox} --yes "Create hello.txt saying hello, then show it."   (in ${work})\n`);
const env = { ...process.env, KEEL_HOME: path.join(work, '.keel'), KEEL_SCRIPT: path.join(root, 'demo', 'script.json'), OPENAI_API_KEY: '', ANTHROPIC_API_KEY: '' };
const run = spawnSync(process.execPath, args, { cwd: work, env, stdio: 'inherit' });
const file = path.join(work, 'hello.txt');
const made = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null;
console.error(`\nhello.txt ${made === null ? 'was not created' : `holds: ${made.trim()}`}`);
console.error('That was the offline scripted provider. For a real model: export OPENAI_API_KEY=… (or ANTHROPIC_API_KEY=…), then `node dist/keel.cjs exec "…"` in your project.');
process.exit(run.status === 0 && made !== null ? 0 : 1);
