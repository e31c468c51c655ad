// feedback/save and feedback/upload: a report kept on this machine, never sent anywhere — Keel has
// no feedback service to send it to. A report is a ZIP archive (0600): `feedback.json` (what the
// client said, Keel's version, the time), the thread's event log as JSONL when a thread is named,
// and the log files the client names (`extraLogFiles`). Every text in it is passed through the
// secret redactor first, so a key Keel holds never lands in a report. `save` writes where the
// client says (a new file); `upload` writes under `$KEEL_HOME/feedback/`.
import fs from 'node:fs';
import path from 'node:path';
import { DomainErrors } from '../kernel/errors.js';
import { makePrivateDir, PRIVATE_FILE_MODE } from '../kernel/private-files.js';
import { secrets } from '../kernel/redact.js';
import { zipArchive, type ZipEntry } from '../kernel/zip-writer.js';
import type { ThreadLog } from './thread-log.js';
import type { ThreadRegistry } from './thread-registry.js';

/** A log file larger than this goes in by its last bytes: the end is what a report needs. */
const LOG_FILE_TAIL_BYTES = 8 * 1024 * 1024;

const NO_LOG_FILES = 'Keel writes its log to stderr only (no log file to include): pass the files your launcher keeps as extraLogFiles.';

export interface FeedbackRequest {
  classification: string;
  reason?: string | null;
  tags?: Record<string, string> | null;
  threadId?: string | null;
  includeLogs?: boolean;
  extraLogFiles?: string[] | null;
}

export interface SavedReport {
  savedPath: string;
  /** The thread reported on, else the report's own id. */
  threadId: string;
}

export interface FeedbackDeps {
  home: string;
  log: Pick<ThreadLog, 'since'>;
  registry: Pick<ThreadRegistry, 'read'>;
  version: string;
  now: () => number;
  newId: () => string;
}

export class FeedbackReports {
  constructor(private readonly deps: FeedbackDeps) {}

  /** Writes the report to `savePath`, which must be absolute and not exist yet. */
  async save(request: FeedbackRequest, savePath: string): Promise<SavedReport> {
    if (!path.isAbsolute(savePath)) throw DomainErrors.invalid(`must be an absolute path: ${savePath}`, 'savePath');
    const id = request.threadId ?? this.deps.newId();
    const archive = await this.archive(request, id);
    try {
      fs.writeFileSync(savePath, archive, { mode: PRIVATE_FILE_MODE, flag: 'wx' });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'an unknown failure';
      throw DomainErrors.invalid(code === 'EEXIST' ? `already exists: ${savePath} (a report goes to a new file)` : `cannot write ${savePath}: ${code}`, 'savePath');
    }
    return { savedPath: savePath, threadId: id };
  }

  /** "Uploads" to `$KEEL_HOME/feedback/<id>.zip`: kept here, sent nowhere. */
  async upload(request: FeedbackRequest): Promise<SavedReport> {
    const reportId = this.deps.newId();
    const archive = await this.archive(request, request.threadId ?? reportId);
    const dir = path.join(this.deps.home, 'feedback');
    const savedPath = path.join(dir, `${reportId}.zip`);
    try {
      makePrivateDir(dir);
      fs.writeFileSync(savedPath, archive, { mode: PRIVATE_FILE_MODE, flag: 'wx' });
    } catch (error) {
      throw DomainErrors.unavailable(`cannot write ${savedPath}: ${(error as NodeJS.ErrnoException).code ?? 'an unknown failure'}`);
    }
    return { savedPath, threadId: request.threadId ?? reportId };
  }

  private async archive(request: FeedbackRequest, id: string): Promise<Buffer> {
    const entries: ZipEntry[] = [];
    if (request.threadId != null) entries.push({ name: `thread-${request.threadId}.jsonl`, data: await this.threadEvents(request.threadId) });
    const logFiles: Array<{ path: string; includedAs: string | null; error: string | null }> = [];
    for (const [index, file] of (request.extraLogFiles ?? []).entries()) {
      const includedAs = `logs/${index + 1}-${path.basename(file)}`;
      try {
        entries.push({ name: includedAs, data: secrets.redact(tail(file)) });
        logFiles.push({ path: file, includedAs, error: null });
      } catch (error) {
        logFiles.push({ path: file, includedAs: null, error: (error as NodeJS.ErrnoException).code ?? 'unreadable' });
      }
    }
    const report = {
      id,
      classification: request.classification,
      reason: request.reason ?? null,
      tags: request.tags ?? {},
      threadId: request.threadId ?? null,
      keelVersion: this.deps.version,
      createdAt: new Date(this.deps.now()).toISOString(),
      logs: request.includeLogs ? NO_LOG_FILES : null,
      logFiles,
    };
    entries.unshift({ name: 'feedback.json', data: secrets.redact(`${JSON.stringify(report, null, 2)}\n`) });
    return zipArchive(entries, new Date(this.deps.now()));
  }

  /** The thread's whole event log, one event per line (`notFound` for a thread the store lacks). */
  private async threadEvents(threadId: string): Promise<string> {
    await this.deps.registry.read(threadId);
    const events = (await this.deps.log.since(threadId, 0)) ?? [];
    return secrets.redact(events.map(({ seq, event }) => JSON.stringify({ seq, ...event })).join('\n') + (events.length > 0 ? '\n' : ''));
  }
}

function tail(file: string): string {
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    const length = Math.min(size, LOG_FILE_TAIL_BYTES);
    const buffer = Buffer.alloc(length);
    fs.readSync(fd, buffer, 0, length, size - length);
    return buffer.toString('utf8');
  } finally {
    fs.closeSync(fd);
  }
}
