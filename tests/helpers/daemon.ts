// A Keel daemon for end-to-end tests: `keel app-server daemon start|stop|status` run to their end
// (one JSON object each), and clients that reach the daemon through `keel app-server proxy` — the
// JSONL harness of keel-process.ts, every line checked against the official schema as usual.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, expect } from 'vitest';
import { keelEntry, makeTempHome, spawnKeel, type KeelProcess } from './keel-process.js';
import { testUserHome } from './user-home.js';

const HOST_VARIABLES = ['OPENAI_API_KEY', 'OPENAI_BASE_URL', 'ANTHROPIC_API_KEY', 'ANTHROPIC_BASE_URL', 'KEEL_SCRIPT', 'KEEL_DB'];

/** Homes made by `daemonHome`: their daemon is stopped and the home removed after each test. */
const homes: string[] = [];
afterEach(() => {
  for (const home of homes.splice(0)) {
    daemonCli(['app-server', 'daemon', 'stop'], home);
    fs.rmSync(home, { recursive: true, force: true });
  }
});

/** A KEEL_HOME whose daemon (if any) is stopped after the test. */
export function daemonHome(home = makeTempHome()): string {
  homes.push(home);
  return home;
}

/** Runs the built CLI to its end; the daemon it starts inherits this environment (the host's provider variables removed). */
export function daemonCli(args: string[], home: string, extraEnv: Record<string, string> = {}): { status: number | null; json: unknown; stderr: string } {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: testUserHome(), KEEL_HOME: home, ...extraEnv };
  for (const name of HOST_VARIABLES) if (!(name in extraEnv)) delete env[name];
  const { status, stdout, stderr } = spawnSync(process.execPath, [keelEntry, ...args], { env, input: '', encoding: 'utf8', timeout: 30_000 });
  const lines = stdout.split('\n').filter((line) => line !== '');
  expect(lines, `one JSON object on stdout; stderr: ${stderr}`).toHaveLength(1);
  return { status, json: JSON.parse(lines[0]!), stderr };
}

/** A client of the home's daemon, through `keel app-server proxy` (which starts the daemon if none runs). */
export function proxyClient(home: string, env: Record<string, string> = {}, args: string[] = []): KeelProcess {
  return spawnKeel({ args: ['app-server', 'proxy', ...args], home, env });
}

export const socketOf = (home: string) => path.join(home, 'app-server-control', 'app-server-control.sock');

/** The processes serving this socket, found by their arguments. */
export function daemonsOn(socketPath: string): number[] {
  return fs
    .readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(`unix://${socketPath}`);
      } catch {
        return false;
      }
    })
    .map(Number);
}
