// feedback/save and feedback/upload against the real server: the report is a ZIP archive (0600)
// with the client's words, the thread's whole event log (secrets Keel holds redacted) and the log
// files named; save writes a new file where asked, upload keeps it under $KEEL_HOME/feedback/ —
// and nothing goes over the network but the turn's own model call.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorOf, makeTempHome } from '../helpers/keel-process.js';
import { keelWithThread, runTurn, turnOf } from '../helpers/turns.js';
import { useFakeModelServer } from '../helpers/use-fake-model-server.js';
import { anthropic } from '../helpers/wire-streams.js';
import { readZip } from '../helpers/zip-reader.js';

const fake = useFakeModelServer();
const SECRET = 'sk-ant-feedback-secret-0123456789';
const mode = (file: string) => fs.statSync(file).mode & 0o777;

describe('feedback/save, feedback/upload', () => {
  it("saves the thread's log and the named log files locally, redacted, and sends nothing", async () => {
    fake.script(anthropic.route, [{ sse: anthropic.stream([anthropic.text('noted')]) }]);
    const { keel, threadId } = await keelWithThread({
      config: ['model_provider = "anthropic"', 'model = "claude-sonnet-4-5"'],
      spawn: { env: { ANTHROPIC_API_KEY: SECRET, ANTHROPIC_BASE_URL: fake.url, OPENAI_API_KEY: undefined } },
    });
    expect(turnOf(await runTurn(keel, threadId, `my key is ${SECRET}`))).toMatchObject({ status: 'completed' });
    const dir = makeTempHome();
    const logFile = path.join(dir, 'launcher.log');
    fs.writeFileSync(logFile, `started\nkey=${SECRET}\n`);
    const missing = path.join(dir, 'gone.log');
    const savePath = path.join(dir, 'report.zip');

    expect(
      await keel.request('feedback/save', { classification: 'bug', reason: 'it broke', tags: { area: 'turns' }, threadId, includeLogs: true, extraLogFiles: [logFile, missing], savePath }),
    ).toEqual({ savedPath: savePath, threadId, promptHash: null });
    expect(mode(savePath)).toBe(0o600);
    const files = readZip(fs.readFileSync(savePath));
    expect(Object.keys(files)).toEqual(['feedback.json', `thread-${threadId}.jsonl`, 'logs/1-launcher.log']);
    expect(JSON.parse(files['feedback.json']!)).toEqual({
      id: threadId,
      classification: 'bug',
      reason: 'it broke',
      tags: { area: 'turns' },
      threadId,
      keelVersion: expect.any(String),
      createdAt: expect.any(String),
      logs: 'Keel writes its log to stderr only (no log file to include): pass the files your launcher keeps as extraLogFiles.',
      logFiles: [
        { path: logFile, includedAs: 'logs/1-launcher.log', error: null },
        { path: missing, includedAs: null, error: 'ENOENT' },
      ],
    });
    expect(files['logs/1-launcher.log']).toBe('started\nkey=[REDACTED]\n');
    const events = files[`thread-${threadId}.jsonl`]!.trimEnd().split('\n').map((line) => JSON.parse(line));
    expect(events.map((event) => event.seq)).toEqual(events.map((_event, index) => index + 1));
    expect(events[0]).toMatchObject({ seq: 1, type: 'thread/created', threadId });
    expect(events.map((event) => event.type)).toContain('turn/completed');
    expect(files[`thread-${threadId}.jsonl`]).toContain('my key is [REDACTED]');
    expect(Object.values(files).join('\n')).not.toContain(SECRET);

    expect(await errorOf(keel.request('feedback/save', { classification: 'bug', savePath }))).toEqual({
      code: -32602,
      message: `Invalid params: savePath: already exists: ${savePath} (a report goes to a new file)`,
      data: { issues: [{ path: 'savePath', message: `already exists: ${savePath} (a report goes to a new file)` }] },
    });
    expect(await errorOf(keel.request('feedback/save', { classification: 'bug', savePath: 'report.zip' }))).toEqual({
      code: -32602,
      message: 'Invalid params: savePath: must be an absolute path: report.zip',
      data: { issues: [{ path: 'savePath', message: 'must be an absolute path: report.zip' }] },
    });
    expect(await errorOf(keel.request('feedback/save', { classification: 'bug', threadId: 'no-such-thread', savePath: path.join(dir, 'other.zip') }))).toEqual({
      code: -32600,
      message: 'thread not found: no-such-thread',
    });
    expect(fs.existsSync(path.join(dir, 'other.zip'))).toBe(false);

    const uploaded = await keel.request('feedback/upload', { classification: 'idea', reason: 'more of this' });
    const reportId = uploaded.threadId;
    const home = path.dirname(path.dirname(uploaded.savedPath));
    expect(uploaded).toEqual({ threadId: reportId, promptHash: null, savedPath: path.join(home, 'feedback', `${reportId}.zip`) });
    expect(mode(uploaded.savedPath)).toBe(0o600);
    expect(mode(path.dirname(uploaded.savedPath))).toBe(0o700);
    const report = readZip(fs.readFileSync(uploaded.savedPath));
    expect(Object.keys(report)).toEqual(['feedback.json']);
    expect(JSON.parse(report['feedback.json']!)).toMatchObject({ id: reportId, classification: 'idea', reason: 'more of this', threadId: null, logs: null, logFiles: [] });

    // The turn's call is the only one that went out.
    expect(fake.calls.map((call) => call.path)).toEqual(['/v1/messages']);
    await keel.close();
  });
});
