// Shared by the MCP tests: configs for the fixture server and server-everything, process checks,
// and a recorder of status changes that can wait for the one a test expects.
import { EventEmitter } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, watch } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { McpServerConfig, McpServerState } from '../../src/mcp/index.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const FIXTURE_SERVER = path.join(repoRoot, 'tests/fixtures/mcp/fixture-server.mjs');
export const EVERYTHING_SERVER = path.join(repoRoot, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js');

export function stdioConfig(name: string, script: string, overrides: Partial<McpServerConfig> & { env?: Record<string, string>; args?: string[] } = {}): McpServerConfig {
  const { env = {}, args = [], ...rest } = overrides;
  return {
    name,
    transport: { type: 'stdio', command: process.execPath, args: [script, ...args], env, cwd: repoRoot },
    enabled: true,
    startupTimeoutMs: 10_000,
    toolTimeoutMs: 60_000,
    enabledTools: null,
    disabledTools: [],
    ...rest,
  };
}

/** The fixture server, writing its pid to a fresh file (read it with `pidFrom`). */
export function fixtureConfig(name: string, overrides: Parameters<typeof stdioConfig>[2] = {}): McpServerConfig & { pidFile: string } {
  const pidFile = path.join(mkdtempSync(path.join(tmpdir(), 'keel-mcp-')), 'pid');
  const config = stdioConfig(name, FIXTURE_SERVER, { ...overrides, env: { FIXTURE_PID_FILE: pidFile, ...overrides.env } });
  return Object.assign(config, { pidFile });
}

export function pidFrom(file: string): number | null {
  return existsSync(file) ? Number(readFileSync(file, 'utf8')) : null;
}

/** The pid the fixture writes to `file`, once it has (watching the file's directory, not polling). */
export function waitForPid(file: string, timeoutMs = 10_000): Promise<number> {
  return new Promise((resolve, reject) => {
    const watcher = watch(path.dirname(file), () => check());
    const timer = setTimeout(() => {
      watcher.close();
      reject(new Error(`no pid in ${file} within ${timeoutMs} ms`));
    }, timeoutMs);
    const check = () => {
      const pid = existsSync(file) ? Number(readFileSync(file, 'utf8')) : 0;
      if (!(pid > 0)) return;
      clearTimeout(timer);
      watcher.close();
      resolve(pid);
    };
    check();
  });
}

/** Whether the process exists and is not a zombie waiting to be reaped. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z';
  } catch {
    return process.platform !== 'linux';
  }
}

export class StatusRecorder {
  readonly events: { name: string; state: McpServerState; error: string | null }[] = [];
  private readonly emitter = new EventEmitter();

  readonly onStatus = (name: string, state: McpServerState, error: string | null): void => {
    this.events.push({ name, state, error });
    this.emitter.emit('status', name, state);
  };

  states(name: string): McpServerState[] {
    return this.events.filter((e) => e.name === name).map((e) => e.state);
  }

  /** Resolves at the next (not past) change of `name` to `state`. */
  next(name: string, state: McpServerState, timeoutMs = 10_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.emitter.off('status', listener);
        reject(new Error(`${name} did not become ${state} within ${timeoutMs} ms (saw ${this.states(name).join(', ')})`));
      }, timeoutMs);
      const listener = (n: string, s: McpServerState) => {
        if (n !== name || s !== state) return;
        clearTimeout(timer);
        this.emitter.off('status', listener);
        resolve();
      };
      this.emitter.on('status', listener);
    });
  }
}
