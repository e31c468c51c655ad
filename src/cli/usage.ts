// What `--help` prints (stdout, exit 0) and what a wrong flag or value prints (stderr, exit 2).
import type { Topic, UsageError } from './command-line.js';

const usageLines: Record<Topic, string> = {
  server:
    'usage: keel [app-server] [--listen URL]... [--ws-auth capability-token --ws-token-file PATH|--ws-token-sha256 HEX] [-c key=value]... [--enable FEATURE]... [--disable FEATURE]... [--strict-config] [--db PATH]',
  'generate-json-schema': 'usage: keel app-server generate-json-schema --out DIR [--experimental]',
  'generate-ts': 'usage: keel app-server generate-ts --out DIR [--experimental]',
  exec: 'usage: keel exec [OPTIONS] PROMPT|-',
  threads: 'usage: keel threads [--limit N] [--json] [-c key=value]...',
  show: 'usage: keel show THREAD_ID [--json] [-c key=value]...',
  proxy: 'usage: keel app-server proxy [--sock PATH] [--no-start]',
  daemon: 'usage: keel app-server daemon start|stop|status [--sock PATH] [-c key=value]...',
  doctor: 'usage: keel doctor [--json] [-c key=value]... [--db PATH]',
  acp: 'usage: keel acp [-c key=value]... [--enable FEATURE]... [--disable FEATURE]... [--db PATH]',
  inspect: 'usage: keel inspect [--connect ws://HOST:PORT [--token-file PATH] | --connect unix://[PATH]] [--port PORT] [-c key=value]...',
};

const helpCommand: Record<Topic, string> = {
  server: 'keel --help',
  'generate-json-schema': 'keel app-server generate-json-schema --help',
  'generate-ts': 'keel app-server generate-ts --help',
  exec: 'keel exec --help',
  threads: 'keel threads --help',
  show: 'keel show --help',
  proxy: 'keel app-server proxy --help',
  daemon: 'keel app-server daemon --help',
  doctor: 'keel doctor --help',
  inspect: 'keel inspect --help',
  acp: 'keel acp --help',
};

export function usageErrorText(error: UsageError): string {
  return `keel: ${error.message}\n${usageLines[error.topic]}\nrun \`${helpCommand[error.topic]}\` for more\n`;
}

const serverHelp = `Keel: a headless coding-agent server speaking the Codex app-server protocol (v2),
JSON-RPC 2.0: one JSON object per line on stdin/stdout, or one per WebSocket text frame on a unix
socket or a TCP port, to as many clients as connect.

Usage:
  keel [app-server] [OPTIONS]         serve (stdio unless --listen says otherwise; bare \`keel\` is the same)
  keel app-server generate-json-schema --out DIR [--experimental]
  keel app-server generate-ts --out DIR [--experimental]
  keel app-server proxy [--sock PATH] [--no-start]
                                      stdio to the shared daemon (started when none runs)
  keel app-server daemon start|stop|status [--sock PATH] [-c key=value]...
  keel exec [OPTIONS] PROMPT|-        run one turn here, as a client of a Keel it starts
  keel threads                        list the stored threads
  keel show THREAD_ID                 print a thread as text
  keel doctor [--json]                check what Keel needs here, and say how to fix each problem
  keel inspect [--connect URL]        a web page on 127.0.0.1 to watch and drive an app-server
  keel acp                            an ACP agent on stdio, for editors (Zed, JetBrains, Neovim)

Options:
  --listen URL               where to serve; repeatable, several at once:
                               stdio://        JSONL on stdin/stdout (the default); Keel exits when stdin ends
                               unix://         WebSocket on $KEEL_HOME/app-server-control/app-server-control.sock
                               unix:///PATH    WebSocket on the unix socket PATH (created 0600)
                               ws://HOST:PORT  WebSocket on TCP (PORT 0: a free port, printed on stderr)
                               off             no stdio (with a socket listener)
  --stdio                    the same as --listen stdio://
  --ws-auth capability-token ws:// clients must send Authorization: Bearer TOKEN, where TOKEN is
                             the content of --ws-token-file ABSOLUTE_PATH (trimmed), or has the
                             SHA-256 --ws-token-sha256 HEX
  --ws-allow-non-loopback    let a ws:// listener bind an address other machines can reach
  -c, --config key=value     override a config.toml value for this process: a dotted key and a
                             TOML value; a value that is not TOML is taken as a string
                             (-c model=gpt-5, -c keel.max_retries=1, -c 'sandbox_mode="read-only"')
  --enable FEATURE           the same as -c features.FEATURE=true
  --disable FEATURE          the same as -c features.FEATURE=false
  --strict-config            refuse to start when config.toml holds a key Keel does not know
  --db PATH                  the thread database (default $KEEL_DB, else $KEEL_HOME/keel.db)
  --analytics-default-enabled, --session-source SOURCE
                             Codex's; accepted, and they change nothing in Keel
  -h, --help                 print this help
  -V, --version              print the version

Environment: KEEL_HOME (config.toml and the database; default ~/.keel), KEEL_DB, LOG_LEVEL,
OPENAI_API_KEY, ANTHROPIC_API_KEY, KEEL_SCRIPT. The protocol: app-server.md.
`;

const experimentalOption = '  --experimental             include the experimental methods and fields\n';

const generateJsonSchemaHelp = `Writes Keel's protocol as JSON Schema (draft-07) into DIR: keel.schema.json (the bundle of
every definition), methods.json (the method index) and one <Type>.json per message type.

${usageLines['generate-json-schema']}

  -o, --out DIR              where to write (created when missing)
${experimentalOption}  -h, --help                 print this help
`;

const generateTsHelp = `Writes Keel's protocol as TypeScript types into DIR: protocol.ts (every type), methods.ts
(method name → params and result types, and the method index) and index.ts.

${usageLines['generate-ts']}

  -o, --out DIR              where to write (created when missing)
${experimentalOption}  -p, --prettier BIN         Codex's; accepted, the files come formatted
  -h, --help                 print this help
`;

const execHelp = `Runs one turn in the current directory through a Keel app-server it starts (as \`codex exec\`):
prints the agent's text on stdout and one line per command, file change or tool call on stderr;
exits 0 when the turn completed, 1 when it failed, 130 when it was interrupted (Ctrl-C interrupts it).

${usageLines.exec}

  PROMPT                     what to ask; - reads it from stdin
  --json                     print every notification as JSONL on stdout instead
  -a, --approval POLICY      never | on-request | untrusted | on-failure (default: config, else on-request)
  -s, --sandbox MODE         read-only | workspace-write | danger-full-access (default: config, else read-only)
  -y, --yes                  approve what Keel asks when there is no terminal to ask on (else declined)
  -m, --model MODEL          the model
      --provider PROVIDER    the model provider (openai, anthropic, scripted, or one of config.toml)
      --resume THREAD_ID     continue a thread instead of starting one
      --output-schema FILE   a JSON Schema the final answer must follow
  -c, --config key=value     a config.toml override for the server (as keel app-server -c)
  -h, --help                 print this help
`;

const threadsHelp = `Lists the stored threads, most recently updated first: id, when, model, where, and the first message.

${usageLines.threads}

  -n, --limit N              how many (default 25)
      --json                 print thread/list's answer as JSON
  -c, --config key=value     a config.toml override for the server
`;

const showHelp = `Prints a stored thread as readable text: each turn, its messages, commands (with their output)
and file changes, as thread/read returns them.

${usageLines.show}

      --json                 print thread/read's answer as JSON
  -c, --config key=value     a config.toml override for the server
`;

const proxyHelp = `Bridges stdin/stdout (JSONL, one message per line) to the app-server daemon of KEEL_HOME
(WebSocket on a Unix socket, one message per frame), so a client that spawns \`keel app-server\`
can spawn \`keel app-server proxy\` instead and share one daemon with other clients. Starts the
daemon when none listens (as \`keel app-server daemon start\`). Exits 0 after stdin ends and its
requests are answered, or when the daemon closes the connection normally; 1 otherwise.

${usageLines.proxy}

      --sock PATH            the daemon's socket (default $KEEL_HOME/app-server-control/app-server-control.sock)
      --no-start             fail when no daemon listens instead of starting one
  -h, --help                 print this help
`;

const daemonHelp = `Manages the app-server daemon of KEEL_HOME: \`keel app-server --listen unix://PATH\` run in the
background, its pid and log in $KEEL_HOME/app-server-daemon/. Each action prints one JSON object on
stdout and exits 0; a failure prints {"status":"error","message":...} and exits 1.

${usageLines.daemon}

  start                      start it unless it runs; returns once it answers initialize
  stop                       SIGTERM, then SIGKILL after 5 s; stopping nothing is not an error
  status                     running (with its pid and socket) or stopped
      --sock PATH            its socket (default $KEEL_HOME/app-server-control/app-server-control.sock)
  -c, --config key=value     a config.toml override for the daemon (start only)
  -h, --help                 print this help
`;

const doctorHelp = `Checks what Keel needs on this host and says how to fix each problem: Node.js, bubblewrap (present
and able to make its namespaces here), ripgrep, the home and its modes, config.toml, the thread
store (integrity, WAL size, schema version), each configured model provider (key, endpoint, model
listing) and each MCP server (started, tools listed). One line per check (ok, warn or fail, its
name, what was found), a \`fix:\` line under each problem. Exits 0 when no check fails (warnings
allowed), 1 otherwise.

${usageLines.doctor}

      --json                 print one JSON object instead: {ok, checks: [{name, status, detail, fix}]}
  -c, --config key=value     a config.toml override, as keel app-server -c
      --db PATH              the thread database to check (default $KEEL_DB, else $KEEL_HOME/keel.db)
  -h, --help                 print this help
`;

const inspectHelp = `The Keel Inspector: a web page that watches and drives an app-server (Keel's, or Codex's own
\`codex app-server --listen ws://…\`): threads, their turns and items as they stream, a composer,
approvals, token usage, the raw message log and a request console. It serves on 127.0.0.1 only and
prints the page's address with a one-time token; the page talks to the app-server through it.

${usageLines.inspect}

      --connect ws://HOST:PORT   an app-server already listening on WebSocket
      --token-file PATH          its capability token (sent as Authorization: Bearer)
      --connect unix://[PATH]    an app-server on a unix socket (default: the daemon's, in $KEEL_HOME)
                                 without --connect: a Keel of its own, on a free loopback port
      --port PORT                the page's port (default: a free one)
  -c, --config key=value         a config.toml override for the Keel it starts
  -h, --help                     print this help
`;

const acpHelp = `Keel as an Agent Client Protocol agent on stdio (JSON-RPC 2.0, one message per line), for the
editors that host agents: Zed, JetBrains IDEs, Neovim plugins. The same threads, store, tools and
sandbox as keel app-server: a session is a thread, a prompt is a turn.

${usageLines.acp}

  -c, --config key=value     a config.toml override, as keel app-server -c
      --enable FEATURE       --disable FEATURE, as keel app-server
      --db PATH              the thread database (default $KEEL_DB, else $KEEL_HOME/keel.db)
  -h, --help                 print this help
`;

export function helpText(topic: Topic): string {
  return {
    server: serverHelp,
    'generate-json-schema': generateJsonSchemaHelp,
    'generate-ts': generateTsHelp,
    exec: execHelp,
    threads: threadsHelp,
    show: showHelp,
    proxy: proxyHelp,
    daemon: daemonHelp,
    doctor: doctorHelp,
    inspect: inspectHelp,
    acp: acpHelp,
  }[topic];
}
