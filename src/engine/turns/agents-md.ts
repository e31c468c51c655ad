// Finds the AGENTS.md files that apply to a working directory: the user's own ($KEEL_HOME/AGENTS.md),
// then every AGENTS.md from the repository root (the nearest directory above the cwd that holds
// `.git`; the cwd itself when there is none) down to the cwd. Read with a total size cap so a huge
// file cannot fill the model's context; only regular files are read.
import fs from 'node:fs/promises';
import path from 'node:path';

export const AGENTS_FILE = 'AGENTS.md';
/** Total bytes of AGENTS.md text given to the model (Codex's default cap is the same). */
export const AGENTS_MAX_BYTES = 32 * 1024;

export interface AgentsFile {
  path: string;
  text: string;
  /** True when the file was cut at the size cap. */
  truncated: boolean;
}

async function isDirectory(file: string): Promise<boolean> {
  return (await fs.stat(file).catch(() => null))?.isDirectory() ?? false;
}

/** The directories from the repository root down to `cwd`, outermost first. */
async function projectDirectories(cwd: string): Promise<string[]> {
  const chain: string[] = [];
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    chain.unshift(dir);
    if ((await fs.stat(path.join(dir, '.git')).catch(() => null)) !== null) return chain;
    if (path.dirname(dir) === dir) return [path.resolve(cwd)];
  }
}

async function readCapped(file: string, budget: number): Promise<AgentsFile | null> {
  const stat = await fs.lstat(file).catch(() => null);
  if (stat === null || !stat.isFile() || budget <= 0) return null;
  const handle = await fs.open(file, 'r');
  try {
    const buffer = Buffer.alloc(Math.min(stat.size, budget));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const text = buffer.subarray(0, bytesRead).toString('utf8').trim();
    return text === '' ? null : { path: file, text, truncated: stat.size > budget };
  } finally {
    await handle.close();
  }
}

export async function findAgentsFiles(cwd: string, home: string): Promise<AgentsFile[]> {
  const candidates = [path.join(home, AGENTS_FILE)];
  if (await isDirectory(cwd)) for (const dir of await projectDirectories(cwd)) candidates.push(path.join(dir, AGENTS_FILE));
  const found: AgentsFile[] = [];
  let budget = AGENTS_MAX_BYTES;
  for (const file of [...new Set(candidates)]) {
    const read = await readCapped(file, budget).catch(() => null);
    if (read === null) continue;
    found.push(read);
    budget -= Buffer.byteLength(read.text);
  }
  return found;
}
