// Logs go to stderr, always: stdout carries the protocol and nothing else. pino costs ~20 ms to
// load, more than the rest of start-up, so it loads on the first message that passes the level
// (or when `warmUp` is called, after initialize); messages logged meanwhile are queued in order.
// Errors before pino is up are written directly (in pino's format). Every line is redacted of the
// secrets Keel holds (kernel/redact.ts) as it is written.
import type { Logger } from 'pino';
import { secrets } from './kernel/redact.js';

export type LogFn = (objOrMessage: unknown, message?: string) => void;

/** The part of pino's Logger Keel uses; a pino Logger satisfies it. */
export interface Log {
  fatal: LogFn;
  error: LogFn;
  warn: LogFn;
  info: LogFn;
  debug: LogFn;
  trace: LogFn;
}

const LEVELS = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 } as const;
type Level = keyof typeof LEVELS;

export interface LazyLog extends Log {
  /** Loads pino now (off the start-up path). */
  warmUp(): void;
}

export function createLogger(level = process.env.LOG_LEVEL ?? 'info'): LazyLog {
  const threshold = LEVELS[level as Level] ?? (level === 'silent' ? Infinity : LEVELS.info);
  let logger: Logger | undefined;
  let loading: Promise<void> | undefined;
  const queue: Array<[Level, unknown, string | undefined]> = [];
  const load = () =>
    (loading ??= import('pino').then(({ default: pino }) => {
      const stderr = pino.destination({ fd: 2, sync: true });
      const redacted = { write: (line: string) => stderr.write(secrets.redact(line)) };
      logger = pino({ level, base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime }, redacted);
      for (const [name, objOrMessage, message] of queue.splice(0)) emit(logger, name, objOrMessage, message);
    }));
  const method =
    (name: Level): LogFn =>
    (objOrMessage, message) => {
      if (LEVELS[name] < threshold) return;
      if (logger) return emit(logger, name, objOrMessage, message);
      // Errors must not wait on a load the process may not live to finish.
      if (LEVELS[name] >= LEVELS.error) return writeDirect(LEVELS[name], objOrMessage, message);
      queue.push([name, objOrMessage, message]);
      void load();
    };
  return {
    fatal: method('fatal'),
    error: method('error'),
    warn: method('warn'),
    info: method('info'),
    debug: method('debug'),
    trace: method('trace'),
    warmUp: () => void load(),
  };
}

function emit(logger: Logger, name: Level, objOrMessage: unknown, message: string | undefined): void {
  if (message === undefined) logger[name](objOrMessage as string);
  else logger[name](objOrMessage as object, message);
}

function writeDirect(level: number, objOrMessage: unknown, message: string | undefined): void {
  const fields = typeof objOrMessage === 'object' && objOrMessage !== null ? { ...objOrMessage } : {};
  const err = (fields as { err?: unknown }).err;
  if (err instanceof Error) (fields as { err?: unknown }).err = { message: err.message, stack: err.stack };
  const msg = message ?? (typeof objOrMessage === 'string' ? objOrMessage : undefined);
  process.stderr.write(secrets.redact(JSON.stringify({ level, time: new Date().toISOString(), pid: process.pid, ...fields, msg })) + '\n');
}

/** A log whose records all carry `fields` (e.g. which connection), over any Log. */
export function bindLog(log: Log, fields: Record<string, unknown>): Log {
  const bound =
    (name: Level): LogFn =>
    (objOrMessage, message) => {
      if (objOrMessage instanceof Error) return log[name]({ ...fields, err: objOrMessage }, message ?? objOrMessage.message);
      if (typeof objOrMessage === 'object' && objOrMessage !== null) return log[name]({ ...fields, ...objOrMessage }, message);
      return log[name](fields, typeof objOrMessage === 'string' ? objOrMessage : message);
    };
  return { fatal: bound('fatal'), error: bound('error'), warn: bound('warn'), info: bound('info'), debug: bound('debug'), trace: bound('trace') };
}
