// The built program's command line: usage errors (exit 2, the message on stderr, nothing on
// stdout), --version, --help, and the generate-* commands writing the committed contract.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { helpText } from '../../src/cli/usage.js';
import { stableBundle, stableIndex, type SurfaceEntry } from '../../src/protocol/stable-surface.js';
import { repoRoot } from '../helpers/conformance.js';
import { initialized, keelEntry, makeTempHome, removeAfterKeel, spawnKeel } from '../helpers/keel-process.js';

const dirs: string[] = [];
afterEach(() => removeAfterKeel(dirs));

function tempDir(): string {
  const dir = makeTempHome();
  dirs.push(dir);
  return dir;
}

/** Runs dist/keel.cjs to its end with stdin closed, in a fresh home and without provider keys. */
function keel(args: string[], home = tempDir()): { status: number | null; stdout: string; stderr: string } {
  const env: NodeJS.ProcessEnv = { ...process.env, KEEL_HOME: home };
  for (const name of ['OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'KEEL_SCRIPT', 'KEEL_DB']) delete env[name];
  const { status, stdout, stderr } = spawnSync(process.execPath, [keelEntry, ...args], { env, input: '', encoding: 'utf8', timeout: 15_000 });
  return { status, stdout, stderr };
}

const serverUsage =
  'usage: keel [app-server] [--listen URL]... [--ws-auth capability-token --ws-token-file PATH|--ws-token-sha256 HEX] [-c key=value]... [--enable FEATURE]... [--disable FEATURE]... [--strict-config] [--db PATH]\n' +
  'run `keel --help` for more\n';

describe('usage errors', () => {
  const table: Array<[args: string[], stderr: string]> = [
    [
      ['app-server', '--listen', 'ws://0.0.0.0:0'],
      `keel: --listen ws://0.0.0.0:0: 0.0.0.0 is not a loopback address; Keel listens where other machines can reach it only with --ws-allow-non-loopback (and --ws-auth capability-token)\n${serverUsage}`,
    ],
    [['app-server', '--bogus'], `keel: unknown option --bogus\n${serverUsage}`],
    [['--bogus'], `keel: unknown option --bogus\n${serverUsage}`],
    [['app-server', '-c', 'model'], `keel: -c model: missing '=' (expected key=value)\n${serverUsage}`],
    [
      ['app-server', 'generate-json-schema', '--experimental'],
      'keel: generate-json-schema needs --out DIR\n' +
        'usage: keel app-server generate-json-schema --out DIR [--experimental]\n' +
        'run `keel app-server generate-json-schema --help` for more\n',
    ],
  ];

  it.each(table)('%j exits 2 with its message', (args, stderr) => {
    expect(keel(args)).toEqual({ status: 2, stdout: '', stderr });
  });

  it('refuses a -c value the config would refuse, naming the flag', () => {
    expect(keel(['app-server', '-c', 'model=m', '-c', 'sandbox_mode=yolo'])).toEqual({
      status: 2,
      stdout: '',
      stderr: 'keel: -c sandbox_mode=yolo: invalid value for sandbox_mode: Invalid option: expected one of "read-only"|"workspace-write"|"danger-full-access"\n',
    });
  });

  it('with --strict-config, stops on a key of config.toml Keel does not know; without it, starts', async () => {
    const home = tempDir();
    const file = path.join(home, 'config.toml');
    fs.writeFileSync(file, 'model = "gpt-5"\nmodle = "gpt-5"\n');
    expect(keel(['app-server', '--strict-config'], home)).toEqual({ status: 2, stdout: '', stderr: `keel: --strict-config: unknown key in ${file}: modle\n` });
    const tolerant = spawnKeel({ home, args: ['app-server'] });
    await initialized(tolerant);
    expect((await tolerant.request('config/read', {})).config).toMatchObject({ model: 'gpt-5', modle: 'gpt-5' });
    expect(await tolerant.close()).toBe(0);
  });
});

describe('--version and --help', () => {
  const { version } = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string };

  it('prints the version', () => {
    expect(keel(['--version'])).toEqual({ status: 0, stdout: `keel ${version}\n`, stderr: '' });
    expect(keel(['app-server', '-V'])).toEqual({ status: 0, stdout: `keel ${version}\n`, stderr: '' });
  });

  it('prints the help of each command on stdout', () => {
    expect(keel(['--help'])).toEqual({ status: 0, stdout: helpText('server'), stderr: '' });
    expect(keel(['app-server', '--help'])).toEqual({ status: 0, stdout: helpText('server'), stderr: '' });
    expect(keel(['app-server', 'generate-json-schema', '--help'])).toEqual({ status: 0, stdout: helpText('generate-json-schema'), stderr: '' });
    expect(keel(['app-server', 'generate-ts', '-h'])).toEqual({ status: 0, stdout: helpText('generate-ts'), stderr: '' });
  });
});

describe('generate-json-schema and generate-ts', () => {
  const committed = (rel: string) => fs.readFileSync(path.join(repoRoot, rel), 'utf8');
  const messages = fs.readdirSync(path.join(repoRoot, 'schema', 'messages')).sort();
  const index = JSON.parse(committed('schema/methods.json')) as SurfaceEntry[];
  const written = (dir: string) => fs.readdirSync(dir).sort();
  const read = (dir: string, name: string) => fs.readFileSync(path.join(dir, name), 'utf8');

  it('writes the committed JSON Schema with --experimental: the bundle, the index, one file per message', () => {
    const out = path.join(tempDir(), 'schema-out');
    expect(keel(['app-server', 'generate-json-schema', '--out', out, '--experimental'])).toEqual({ status: 0, stdout: '', stderr: '' });
    expect(written(out)).toEqual(['keel.schema.json', 'methods.json', ...messages].sort());
    expect(JSON.parse(read(out, 'keel.schema.json'))).toEqual(JSON.parse(committed('schema/keel.schema.json')));
    for (const name of messages) expect(read(out, name)).toBe(committed(`schema/messages/${name}`));
    expect(read(out, 'methods.json')).toBe(committed('schema/methods.json'));
  });

  it('leaves the experimental surface out by default', () => {
    const out = tempDir();
    expect(keel(['app-server', 'generate-json-schema', '-o', out])).toEqual({ status: 0, stdout: '', stderr: '' });
    const experimental = ['ServerDiagnosticsParams.json', 'ServerDiagnosticsResponse.json', 'CollaborationModeListParams.json', 'CollaborationModeListResponse.json', 'DynamicToolCallParams.json', 'DynamicToolCallResponse.json', 'ToolRequestUserInputParams.json', 'ToolRequestUserInputResponse.json',
      ...['', 'Stream', 'Cancel', 'StreamCancel', 'Occurrences'].flatMap((kind) => [`ThreadSearch${kind}Params.json`, `ThreadSearch${kind}Response.json`])];
    expect(written(out)).toEqual(['keel.schema.json', 'methods.json', ...messages.filter((name) => !experimental.includes(name))].sort());
    expect(JSON.parse(read(out, 'keel.schema.json'))).toEqual(stableBundle(JSON.parse(committed('schema/keel.schema.json')), index));
    expect(JSON.parse(read(out, 'methods.json'))).toEqual(stableIndex(index));
    expect(JSON.parse(read(out, 'ThreadStartParams.json')).properties.dynamicTools).toBeUndefined();
  });

  it('writes the TypeScript, stable by default and whole with --experimental', () => {
    for (const [flags, from] of [[[], 'generated/stable'], [['--experimental'], 'generated']] as const) {
      const out = tempDir();
      expect(keel(['app-server', 'generate-ts', '--out', out, ...flags])).toEqual({ status: 0, stdout: '', stderr: '' });
      expect(written(out)).toEqual(['index.ts', 'methods.ts', 'protocol.ts']);
      for (const name of written(out)) expect(read(out, name)).toBe(committed(`${from}/${name}`));
    }
  });

  it('says why it cannot write, and exits 1', () => {
    const file = path.join(tempDir(), 'a-file');
    fs.writeFileSync(file, '');
    const result = keel(['app-server', 'generate-ts', '--out', path.join(file, 'ts')]);
    expect(result).toEqual({ status: 1, stdout: '', stderr: `keel: cannot write ${path.join(file, 'ts')}: ENOTDIR: not a directory, mkdir '${path.join(file, 'ts')}'\n` });
  });
});
