// What confinement and approvals cost per command, on the built-in scripted provider (OpenAI
// toolset): 30 exec_command calls of `true` in one turn, (1) unconfined (danger-full-access),
// (2) under bubblewrap (workspace-write), (3) under bubblewrap and asked each time (untrusted, a
// client that accepts at once: the approval round trip over stdio); and a bare `bwrap … true` spawn
// against a bare `true` spawn, the floor bubblewrap itself sets.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { cpuSeconds, startKeel } from './lib/keel-session.mjs';

const CALLS = 30;
const call = () => [{ toolCall: { name: 'exec_command', arguments: { cmd: 'true', login: false } } }];

async function perCall(thread) {
  const server = startKeel((home) => {
    const scriptPath = path.join(home, 'script.json');
    const responses = [call(), [{ text: 'warm' }], ...Array.from({ length: CALLS }, call), [{ text: 'done' }]];
    fs.writeFileSync(scriptPath, JSON.stringify({ responses }));
    return { KEEL_SCRIPT: scriptPath };
  });
  const threadId = await server.openThread({ ephemeral: false, cwd: server.home, ...thread });
  let asked = 0;
  const turn = () =>
    new Promise((resolve) => {
      server.onOther((m) => {
        if (m.method === 'item/commandExecution/requestApproval') {
          asked++;
          server.write(JSON.stringify({ id: m.id, result: { decision: 'accept' } }) + '\n');
        } else if (m.method === 'turn/completed') resolve(m);
      });
      server.request('turn/start', { threadId, input: [{ type: 'text', text: 'go' }] });
    });
  await turn();
  asked = 0;
  const cpu0 = cpuSeconds(server.child.pid);
  const t0 = performance.now();
  const done = await turn();
  const ms = performance.now() - t0;
  const cpu = cpuSeconds(server.child.pid) - cpu0;
  await server.close();
  if (done.params.turn.status !== 'completed') throw new Error(`turn ${done.params.turn.status}`);
  return { perCallMs: ms / CALLS, cpuPerCallMs: (cpu * 1000) / CALLS, asked };
}

function bareSpawns(argv) {
  const t0 = performance.now();
  for (let i = 0; i < CALLS; i++) {
    const { status } = spawnSync(argv[0], argv.slice(1));
    if (status !== 0) throw new Error(`${argv.join(' ')} exited ${status}`);
  }
  return (performance.now() - t0) / CALLS;
}

const rows = [
  ['unconfined (danger-full-access, never)', { sandbox: 'danger-full-access', approvalPolicy: 'never' }],
  ['bubblewrap (workspace-write, never)', { sandbox: 'workspace-write', approvalPolicy: 'never' }],
  ['bubblewrap + asked each time (workspace-write, untrusted)', { sandbox: 'workspace-write', approvalPolicy: 'untrusted' }],
];
for (const [name, thread] of rows) {
  const r = await perCall(thread);
  console.log(`exec_command per call, ${name}: ${r.perCallMs.toFixed(1)} ms wall, ${r.cpuPerCallMs.toFixed(1)} ms Keel CPU${r.asked ? `, ${r.asked} approvals` : ''}`);
}
const bare = bareSpawns(['bash', '-c', 'true']);
const wrapped = bareSpawns(['bwrap', '--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--unshare-pid', '--unshare-net', '--cap-drop', 'ALL', '--die-with-parent', '--', 'bash', '-c', 'true']);
console.log(`bare spawns: bash -c true ${bare.toFixed(1)} ms; bwrap … bash -c true ${wrapped.toFixed(1)} ms (+${(wrapped - bare).toFixed(1)} ms for the sandbox)`);
