// A minimal ACP client with no SDK: JSON lines written to `keel acp`'s stdin, answers matched by id
// from its stdout. For what the SDK will not send (malformed lines, missing members) and as the
// independent second client: it knows only the wire as ACP's spec writes it.
import { spawnKeelAcp, type AcpAgentOptions, type KeelAcpProcess } from './acp-agent.js';

export interface RawAcpClient extends KeelAcpProcess {
  /** Writes one line as is (a string) or as JSON; notes the request's id for the schema check. */
  write(message: string | object): void;
  /** Sends a JSON-RPC 2.0 request and resolves with the whole response message (result or error). */
  request(method: string, params: unknown): Promise<RawResponse>;
  notify(method: string, params: unknown): void;
  /** Resolves with the first line Keel wrote, from `from` on, that `match` accepts. */
  waitFor(match: (message: RawMessage) => boolean, from?: number, timeoutMs?: number): Promise<RawMessage>;
}

export type RawMessage = { jsonrpc?: string; id?: unknown; method?: string; params?: any; result?: any; error?: { code: number; message: string; data?: unknown } };
export type RawResponse = RawMessage & ({ result: any } | { error: { code: number; message: string; data?: unknown } });

export function startRawAcp(options: Omit<AcpAgentOptions, 'permission'> = {}): RawAcpClient {
  const keel = spawnKeelAcp(options);
  let nextId = 1;
  const write = (message: string | object) => {
    const line = `${typeof message === 'string' ? message : JSON.stringify(message)}\n`;
    keel.noteClientBytes(Buffer.from(line));
    keel.child.stdin!.write(line);
  };
  const waitFor = (match: (message: RawMessage) => boolean, from = 0, timeoutMs = 15_000) =>
    new Promise<RawMessage>((resolve, reject) => {
      const stdout = keel.child.stdout!;
      const done = () => {
        clearTimeout(timer);
        stdout.off('data', onData);
      };
      const look = () => {
        const found = (keel.lines.slice(from) as RawMessage[]).find(match);
        if (found) {
          done();
          resolve(found);
        }
      };
      // After acp-agent.ts's own listener has parsed the chunk's lines.
      const onData = () => setImmediate(look);
      const timer = setTimeout(() => {
        done();
        reject(new Error(`keel acp wrote no matching line in ${timeoutMs} ms; its last lines:\n${keel.lines.slice(-5).map((l) => JSON.stringify(l).slice(0, 300)).join('\n')}\nstderr:\n${keel.stderr().slice(-2000)}`));
      }, timeoutMs);
      stdout.on('data', onData);
      look();
    });
  return {
    ...keel,
    write,
    waitFor,
    request: async (method, params) => {
      const id = nextId++;
      write({ jsonrpc: '2.0', id, method, params });
      return (await waitFor((message) => message.id === id && message.method === undefined)) as RawResponse;
    },
    notify: (method, params) => write({ jsonrpc: '2.0', method, params }),
  };
}
