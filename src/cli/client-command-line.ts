// The commands that drive a Keel app-server as its client, as `codex exec` does: `keel exec PROMPT`
// runs one turn in the current directory; `keel threads` lists the stored threads; `keel show ID`
// prints one as text. Plain string work, like the rest of the command line.
import { help, tokens, UsageError, type OptionSpec, type Token } from './options.js';

export type ApprovalChoice = 'never' | 'on-request' | 'untrusted' | 'on-failure';
export type SandboxChoice = 'read-only' | 'workspace-write' | 'danger-full-access';

export interface ExecOptions {
  /** The prompt; `-` reads it from stdin. */
  prompt: string;
  json: boolean;
  approval: ApprovalChoice | null;
  sandbox: SandboxChoice | null;
  model: string | null;
  provider: string | null;
  resume: string | null;
  outputSchema: string | null;
  /** `-c key=value`, passed to the server as given. */
  config: string[];
  /** Approve what is asked when nobody can be asked (not a terminal). */
  yes: boolean;
}

export type ClientCommand =
  | { command: 'exec'; options: ExecOptions }
  | { command: 'threads'; config: string[]; limit: number; json: boolean }
  | { command: 'show'; threadId: string; config: string[]; json: boolean };

const APPROVALS: readonly ApprovalChoice[] = ['never', 'on-request', 'untrusted', 'on-failure'];
const SANDBOXES: readonly SandboxChoice[] = ['read-only', 'workspace-write', 'danger-full-access'];

const common = { config: { names: ['-c', '--config'], value: 'key=value' }, json: { names: ['--json'] }, help } satisfies Record<string, OptionSpec>;

const execSpecs = {
  ...common,
  approval: { names: ['-a', '--approval', '--ask-for-approval'], value: 'POLICY' },
  sandbox: { names: ['-s', '--sandbox'], value: 'MODE' },
  model: { names: ['-m', '--model'], value: 'MODEL' },
  provider: { names: ['--provider'], value: 'PROVIDER' },
  resume: { names: ['--resume'], value: 'THREAD_ID' },
  outputSchema: { names: ['--output-schema'], value: 'FILE' },
  yes: { names: ['-y', '--yes'] },
} satisfies Record<string, OptionSpec>;

const threadsSpecs = { ...common, limit: { names: ['-n', '--limit'], value: 'N' } } satisfies Record<string, OptionSpec>;

function oneOf<T extends string>(name: string, value: string, allowed: readonly T[], topic: 'exec'): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${name} ${value}: expected one of ${allowed.join(', ')}`, topic);
}

function positionals(list: Token[]): string[] {
  return list.flatMap((token) => ('positional' in token ? [token.positional] : []));
}

function parseExec(args: readonly string[]): ClientCommand | { help: true } {
  const options: ExecOptions = { prompt: '', json: false, approval: null, sandbox: null, model: null, provider: null, resume: null, outputSchema: null, config: [], yes: false };
  const list = tokens(args, execSpecs, 'exec');
  for (const token of list) {
    if ('positional' in token) continue;
    const { option, name, value } = token;
    if (option === 'help') return { help: true };
    if (option === 'json') options.json = true;
    else if (option === 'yes') options.yes = true;
    else if (option === 'config') options.config.push(value);
    else if (option === 'approval') options.approval = oneOf(name, value, APPROVALS, 'exec');
    else if (option === 'sandbox') options.sandbox = oneOf(name, value, SANDBOXES, 'exec');
    else if (option === 'model') options.model = value;
    else if (option === 'provider') options.provider = value;
    else if (option === 'resume') options.resume = value;
    else if (option === 'outputSchema') options.outputSchema = value;
  }
  const words = positionals(list);
  if (words.length === 0) throw new UsageError('exec needs a prompt (or - to read it from stdin)', 'exec');
  options.prompt = words.join(' ');
  return { command: 'exec', options };
}

export function parseClientCommand(command: 'exec' | 'threads' | 'show', args: readonly string[]): { kind: 'client'; run: ClientCommand } | { kind: 'help'; topic: 'exec' | 'threads' | 'show' } {
  if (command === 'exec') {
    const parsed = parseExec(args);
    return 'help' in parsed ? { kind: 'help', topic: 'exec' } : { kind: 'client', run: parsed };
  }
  const list = tokens(args, command === 'threads' ? threadsSpecs : common, command);
  if (list.some((token) => 'option' in token && token.option === 'help')) return { kind: 'help', topic: command };
  const config = list.flatMap((token) => ('option' in token && token.option === 'config' ? [token.value] : []));
  const json = list.some((token) => 'option' in token && token.option === 'json');
  const words = positionals(list);
  if (command === 'threads') {
    if (words.length > 0) throw new UsageError(`unexpected argument ${words[0]}`, 'threads');
    const given = list.find((token) => 'option' in token && token.option === 'limit');
    const limit = given && 'value' in given ? Number(given.value) : 25;
    if (!Number.isInteger(limit) || limit < 1) throw new UsageError(`--limit ${given && 'value' in given ? given.value : ''}: expected a positive whole number`, 'threads');
    return { kind: 'client', run: { command: 'threads', config, limit, json } };
  }
  if (words.length !== 1) throw new UsageError('show needs one THREAD_ID', 'show');
  return { kind: 'client', run: { command: 'show', threadId: words[0]!, config, json } };
}
