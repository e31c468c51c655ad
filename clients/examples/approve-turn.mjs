// One turn whose model wants to run a command: the client is asked, accepts, and shows what
// happened. The model is Keel's built-in scripted provider, so this runs offline.
// Build first (npm run build); usage: node clients/examples/approve-turn.mjs [workspace-dir]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KeelClient } from '../typescript/dist/index.js';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-example-'));
const cwd = fs.realpathSync(process.argv[2] ?? fs.mkdtempSync(path.join(scratch, 'work-')));
const script = path.join(scratch, 'script.json');
fs.writeFileSync(script, JSON.stringify({
  responses: [[{ toolCall: { name: 'exec_command', arguments: { cmd: 'touch hello.txt' } } }], [{ text: 'Created hello.txt.' }]],
}));

const keel = KeelClient.spawn({
  env: {
    ...process.env,
    KEEL_SCRIPT: script, // no API keys: the scripted provider answers
    OPENAI_API_KEY: '',
    ANTHROPIC_API_KEY: '',
    KEEL_HOME: path.join(scratch, 'keel-home'),
    HOME: fs.mkdtempSync(path.join(scratch, 'home-')), // a clean login shell inside the sandbox
  },
});
await keel.open();
keel.onRequest('item/commandExecution/requestApproval', (params) => {
  console.log(`asked: may I run ${params.command} in ${params.cwd}? accepting`);
  return { decision: 'accept' };
});

// untrusted: ask before anything but known-safe reads; workspace-write: writes only under cwd.
const { thread } = await keel.request('thread/start', { cwd, approvalPolicy: 'untrusted', sandbox: 'workspace-write' });
const done = keel.next('turn/completed');
await keel.request('turn/start', { threadId: thread.id, input: [{ type: 'text', text: 'Create hello.txt' }] });
await done;

const turn = keel.wireThread(thread.id).turns.at(-1);
for (const item of turn.items) {
  if (item.type === 'commandExecution') console.log(`command: ${item.command} -> ${item.status}, exit ${item.exitCode}`);
  if (item.type === 'agentMessage') console.log(`agent: ${item.text}`);
}
console.log(`hello.txt exists: ${fs.existsSync(path.join(cwd, 'hello.txt'))}`);
await keel.close();
fs.rmSync(scratch, { recursive: true, force: true });
