// Everything a client can ask of a thread, as engine commands: what they check, which events they
// write, who hears about it. Handlers parse, call one of these and shape the answer. Each command
// that changes a thread runs in that thread's queue and returns its value with `publish`, which
// tells the subscribers once the response is out (the caller passes it to its after-response hook).
import { stampEvent, type EventBody, type FileUndo, type InjectedMessage } from '../core/events.js';
import { findLastIndex, get, indexOfKey } from '../core/plist.js';
import type { ThreadStatus, UserInput } from '../core/protocol-types.js';
import { liveStatus } from '../core/snapshot.js';
import type { ThreadState, TurnState } from '../core/state.js';
import { DomainErrors, OwnedElsewhere } from '../kernel/errors.js';
import { forkedTurns, type ForkPoint } from './fork-history.js';
import { restoreFiles, revertedFileChanges, type RestoredFile } from './restore-files.js';
import type { Subscriber } from './subscriber.js';
import { catchUpAfter, checkAfterSeq, checkNotPast } from './thread-catch-up.js';
import type { ThreadQueue } from './thread-queue.js';
import type { ThreadRegistry } from './thread-registry.js';
import type { ThreadRuntime } from './thread-runtime.js';
import { resolveSettings, settingsOverrides, type SettingsDefaults, type SettingsParams } from './thread-settings.js';
import type { TurnOptions } from './turns/model-call.js';
import type { TurnEngine } from './turns/turn-engine.js';

export interface Changed<T> {
  value: T;
  /** Tells the subscribers of the change; run it after the response. */
  publish: () => void;
}

export interface CommandDeps {
  registry: ThreadRegistry;
  turns: TurnEngine;
  queue: ThreadQueue;
  defaults: () => SettingsDefaults;
  now: () => number;
  newId: () => string;
  version: string;
  /** Keel's home: the sandbox hides and protects it (restored files are confined as the thread's tools are). */
  home: string;
  /** `[keel] turns_without_clients`: whether a turn goes on once nobody listens. */
  turnsWithoutClients?: () => 'continue' | 'interrupt';
  /** Throws when no configured provider serves this model (engine/model-check.ts); absent: any model is taken. */
  checkModel?: (modelProvider: string, model: string) => void;
}

export interface StartThread extends SettingsParams {
  ephemeral?: boolean | null;
}

export interface ForkThread extends StartThread, ForkPoint {}

export interface StartTurn {
  input: UserInput[];
  /** Overrides that apply to this turn and the ones after it (as in Codex). */
  settings: SettingsParams;
  options: TurnOptions;
}

export interface Reverted {
  state: ThreadState;
  /** Only when the files were asked to be restored. */
  files?: RestoredFile[];
}

export type UnsubscribeStatus = 'notLoaded' | 'notSubscribed' | 'unsubscribed';

const nothing = () => {};

export class ThreadCommands {
  constructor(private readonly deps: CommandDeps) {}

  start(params: StartThread, caller: Subscriber): Promise<Changed<ThreadState>> {
    const threadId = this.deps.newId();
    return this.deps.queue.run(threadId, async () => {
      const settings = resolveSettings(params, this.deps.defaults());
      // Only what the client names is checked: config.toml's model is the user's own choice, and a
      // home without a key runs it on the scripted provider rather than refusing every thread.
      if (params.model != null || params.modelProvider != null) this.deps.checkModel?.(settings.modelProvider, settings.model);
      const created = this.event(threadId, {
        type: 'thread/created',
        settings,
        origin: { ephemeral: params.ephemeral === true, cliVersion: this.deps.version, forkedFromId: null },
      });
      const { runtime, publish } = await this.deps.registry.create(created, caller);
      // Answered once stored: another process sharing the store (PostgreSQL's writes are
      // asynchronous) may be asked for the thread as soon as its id is known.
      await runtime.acknowledged();
      return { value: runtime.state, publish };
    });
  }

  /**
   * Loads the thread, applies the settings the request changes and subscribes the caller. With
   * `afterSeq`, the caller is subscribed only once the answer is out, right after it is sent every
   * event after that seq — in the same synchronous step, so no live notification comes between, or
   * twice. Questions still waiting for an answer are then put to it too (client-requests.ts).
   */
  resume(threadId: string, settings: SettingsParams, caller: Subscriber, afterSeq: number | null = null): Promise<Changed<ThreadState>> {
    return this.deps.queue.run(threadId, async () => {
      const wasLoaded = this.deps.registry.isLoaded(threadId);
      let runtime: ThreadRuntime;
      try {
        runtime = await this.deps.registry.load(threadId);
      } catch (error) {
        if (!(error instanceof OwnedElsewhere)) throw error;
        return this.resumeFollowing(threadId, settings, caller, afterSeq, error);
      }
      if (afterSeq !== null) checkAfterSeq(runtime, afterSeq);
      this.checkOverrides(runtime.state, settings);
      const announced = wasLoaded ? null : liveStatus(runtime.state);
      // As Codex: a thread this resume loads is announced before the answer.
      if (announced !== null) announceStatus(runtime, [...runtime.subscribers, ...(afterSeq === null ? [caller] : [])], announced, this.deps.now());
      const publishSettings = this.changeSettings(runtime, settings);
      if (afterSeq === null) {
        runtime.subscribe(caller);
        return { value: runtime.state, publish: publishSettings };
      }
      const catchUp = await catchUpAfter(this.deps.registry, runtime, afterSeq);
      const publish = () => {
        publishSettings();
        catchUp(caller);
        if (announced !== null) announceStatus(runtime, [caller], liveStatus(runtime.state), this.deps.now());
        runtime.subscribe(caller);
      };
      return { value: runtime.state, publish };
    });
  }

  /**
   * Resume of a thread another live process runs: the caller follows it here (thread-follower.ts),
   * hearing what the owner's clients hear, from the log. Settings it would change are the owner's
   * to change: that resume is refused with `owned` (the server forwards it).
   */
  private async resumeFollowing(threadId: string, settings: SettingsParams, caller: Subscriber, afterSeq: number | null, owned: OwnedElsewhere): Promise<Changed<ThreadState>> {
    const { state, lastSeq } = await this.deps.registry.readWithSeq(threadId);
    if (Object.keys(settingsOverrides(state.settings, settings)).length > 0) throw owned;
    if (afterSeq !== null) checkNotPast(afterSeq, lastSeq);
    // Joined once the answer is out: what the log holds past the seq the caller stands at comes first, then the rest as it is written.
    const publish = () => {
      this.deps.registry.follow(threadId, caller, afterSeq ?? lastSeq).catch(() => {
        // The follower reports its own read failures and reads again at its next poll.
      });
    };
    return { value: state, publish };
  }

  /**
   * `caller` hears the thread from after `afterSeq` (null: from now) as a subscriber here: of its
   * runtime when this process runs it, else as a follower of what another process writes. For the
   * server, once it has forwarded a request to the thread's owner.
   */
  follow(threadId: string, caller: Subscriber, afterSeq: number | null): Promise<void> {
    return this.deps.queue.run(threadId, async () => {
      const runtime = this.deps.registry.get(threadId);
      if (runtime === undefined) {
        const stored = await this.deps.registry.storedSeq(threadId);
        // A stored thread holds at least its creation event.
        if (stored === 0) throw DomainErrors.threadNotFound(threadId);
        if (afterSeq !== null) checkNotPast(afterSeq, stored);
        await this.deps.registry.follow(threadId, caller, afterSeq ?? stored);
        return;
      }
      if (afterSeq === null) return runtime.subscribe(caller);
      checkAfterSeq(runtime, afterSeq);
      (await catchUpAfter(this.deps.registry, runtime, afterSeq))(caller);
      runtime.subscribe(caller);
    });
  }

  /** The seq of the thread's last event (in memory here, else in the log): where a follower starts. */
  storedSeq(threadId: string): Promise<number> {
    return this.deps.registry.storedSeq(threadId);
  }

  /**
   * The takeover sweep: the threads whose owner lapsed (it died, or stopped beating) are claimed,
   * their running turn ended once as interrupted, naming that owner, and unloaded again (the next
   * request for one loads it wherever it arrives). Each in its thread's queue. Returns how many.
   */
  takeOverLapsed(): Promise<number> {
    return this.deps.registry.recover((threadId, step) => this.deps.queue.run(threadId, step));
  }

  /** A new thread with a copy of the source's finished turns (up to `lastTurnId`). */
  fork(sourceId: string, params: ForkThread, caller: Subscriber): Promise<Changed<ThreadState>> {
    const threadId = this.deps.newId();
    return this.deps.queue.run(threadId, async () => {
      const source = await this.deps.registry.read(sourceId);
      const turns = forkedTurns(source, params);
      this.checkOverrides(source, params);
      const created = this.event(threadId, {
        type: 'thread/created',
        settings: { ...source.settings, ...settingsOverrides(source.settings, params) },
        origin: { ephemeral: params.ephemeral === true, cliVersion: this.deps.version, forkedFromId: source.id },
        turns,
        name: source.name,
      });
      const { runtime, publish } = await this.deps.registry.create(created, caller);
      return { value: runtime.state, publish };
    });
  }

  /** As Codex, an archived thread is unloaded (`notLoaded`, before the answer) unless a turn runs in it. */
  archive(threadId: string, caller: Subscriber): Promise<Changed<ThreadState>> {
    return this.change(threadId, caller, () => ({ type: 'thread/archived' }), (runtime, recipients) => {
      if (runtime.state.activeTurnId !== null) return;
      this.deps.registry.unload(threadId, { dropSubscribers: true });
      announceStatus(runtime, recipients, { type: 'notLoaded' }, this.deps.now());
    });
  }

  unarchive(threadId: string, caller: Subscriber): Promise<Changed<ThreadState>> {
    return this.change(threadId, caller, () => ({ type: 'thread/unarchived' }));
  }

  /**
   * A change one event makes, built from the thread's state in its queue at time `at` (goals:
   * thread-goals.ts; the metadata update); `build` may refuse by throwing, or answer null for
   * nothing to record.
   */
  record(threadId: string, caller: Subscriber, build: (state: ThreadState, at: number) => EventBody | null): Promise<Changed<ThreadState>> {
    return this.deps.queue.run(threadId, async () => {
      const wasLoaded = this.deps.registry.isLoaded(threadId);
      const runtime = await this.deps.registry.load(threadId);
      try {
        const at = this.deps.now();
        const body = build(runtime.state, at);
        if (body === null) return { value: runtime.state, publish: nothing };
        const publish = runtime.apply([stampEvent(threadId, at, body)], { deferred: true, extraRecipients: [caller] });
        return { value: runtime.state, publish };
      } finally {
        if (!wasLoaded) this.deps.registry.unload(threadId);
      }
    });
  }

  /** Messages for the model's history, after the thread's last turn (the one running, if one is). */
  injectItems(threadId: string, items: InjectedMessage[], caller: Subscriber): Promise<Changed<ThreadState>> {
    return this.change(threadId, caller, (state) => ({ type: 'thread/itemsInjected', afterTurnId: lastTurnId(state), items }));
  }

  rename(threadId: string, name: string, caller: Subscriber): Promise<Changed<ThreadState>> {
    return this.change(threadId, caller, () => ({ type: 'thread/renamed', name }));
  }

  /**
   * Drops `beforeTurnId` and every later turn; refused while a turn runs. With `restoreFiles`, the
   * dropped turns' file changes are undone once the revert is written — never when it is refused —
   * and still in the thread's queue, so no turn can start and touch the files in between. The
   * revert and the restore are one intent: `thread/reverted` carries the changes to undo, and
   * `thread/filesRestored` marks them done; a crash in between leaves the log reverted, and the
   * next load finishes the restore (recover-writes.ts), so the files end as the log says.
   */
  revert(threadId: string, beforeTurnId: string, caller: Subscriber, restore = false): Promise<Changed<Reverted>> {
    return this.deps.queue.run(threadId, async () => {
      const wasLoaded = this.deps.registry.isLoaded(threadId);
      const runtime = await this.deps.registry.load(threadId);
      try {
        const before = runtime.state;
        if (findLastIndex(before.turns, (turn) => turn.id === beforeTurnId) === -1) throw DomainErrors.turnNotFound(beforeTurnId);
        if (before.activeTurnId !== null) throw DomainErrors.turnRunning(threadId);
        const changes: FileUndo[] = restore ? revertedFileChanges(before, beforeTurnId) : [];
        const reverted = this.event(threadId, { type: 'thread/reverted', beforeTurnId, ...(changes.length > 0 && { restore: changes }) });
        const publish = runtime.apply([reverted], { deferred: true, extraRecipients: [caller] });
        const state = runtime.state;
        if (wasLoaded) {
          // Codex reloads a loaded thread to revert it, and says so before the answer.
          const recipients = [...new Set([...runtime.subscribers, caller])];
          announceStatus(runtime, recipients, { type: 'notLoaded' }, this.deps.now());
          announceStatus(runtime, recipients, liveStatus(state), this.deps.now());
        }
        if (!restore) return { value: { state }, publish };
        const confinement = { policy: state.settings.sandbox, context: { cwd: state.settings.cwd, keelHome: this.deps.home } };
        const files = await restoreFiles(changes, confinement);
        if (changes.length > 0) this.markRestored(runtime);
        return { value: { state, files }, publish };
      } finally {
        if (!wasLoaded) this.deps.registry.unload(threadId);
      }
    });
  }

  /** Records a revert's restore done. Should the store refuse, the next load runs the restore again, which finds the files already back. */
  private markRestored(runtime: ThreadRuntime): void {
    try {
      runtime.apply([this.event(runtime.state.id, { type: 'thread/filesRestored' })]);
    } catch {
      // Reported to the write-failure listeners; the revert itself is written and its answer stands.
    }
  }

  /** Removes the thread and its log; refused while a turn runs (its next event would re-create the log). */
  delete(threadId: string, caller: Subscriber): Promise<Changed<null>> {
    return this.deps.queue.run(threadId, async () => {
      const runtime = this.deps.registry.get(threadId);
      if (runtime?.state.activeTurnId) throw DomainErrors.turnRunning(threadId);
      const before = runtime?.state;
      const recipients = new Set([...(runtime?.subscribers ?? []), caller]);
      if (!(await this.deps.registry.delete(threadId))) throw DomainErrors.threadNotFound(threadId);
      const deleted = this.event(threadId, { type: 'thread/deleted' });
      // No log holds it any more: it goes out without a seq.
      const publish = () => {
        for (const recipient of recipients) recipient.receive(deleted, before, undefined);
      };
      return { value: null, publish };
    });
  }

  unsubscribe(threadId: string, caller: Subscriber): Promise<UnsubscribeStatus> {
    return this.deps.queue.run(threadId, () => {
      if (!this.deps.registry.isLoaded(threadId)) return 'notLoaded';
      if (!this.deps.registry.unsubscribe(threadId, caller)) return 'notSubscribed';
      // As Codex: the last subscriber leaving unloads a thread no turn runs in.
      const runtime = this.deps.registry.get(threadId);
      if (runtime === undefined || (runtime.subscribers.size === 0 && runtime.state.activeTurnId === null)) this.deps.registry.unload(threadId);
      return 'unsubscribed';
    });
  }

  /**
   * A connection that went away: it hears no thread any more. Its threads stay in memory for the
   * idle delay (a client reconnecting soon finds them warm), and its questions go to others
   * (client-requests.ts).
   */
  detach(caller: Subscriber): void {
    for (const threadId of this.deps.registry.subscribedBy(caller)) {
      this.deps.registry.unsubscribe(threadId, caller);
      const runtime = this.deps.registry.get(threadId);
      if (runtime === undefined) continue;
      runtime.subscribersChanged();
      const turnId = runtime.state.activeTurnId;
      if (turnId !== null && runtime.subscribers.size === 0 && this.deps.turnsWithoutClients?.() === 'interrupt') this.deps.turns.interrupt(threadId, turnId)();
    }
  }

  /** Unloads from memory the threads no turn runs in that have not changed for `idleMs` (in each thread's queue, so no command is cut short). */
  async unloadIdle(idleMs: number): Promise<number> {
    let unloaded = 0;
    await Promise.all(
      this.deps.registry.idleIds(idleMs).map((threadId) =>
        this.deps.queue.run(threadId, () => {
          // Checked again in the queue: a command before this one may have used the thread.
          if (!this.deps.registry.isIdle(threadId, idleMs)) return;
          this.deps.registry.unload(threadId);
          unloaded++;
        }),
      ),
    );
    return unloaded;
  }

  /** Applies the turn's setting overrides, opens the turn and subscribes the caller; `publish` also starts the model loop. */
  startTurn(threadId: string, request: StartTurn, caller: Subscriber): Promise<Changed<TurnState>> {
    return this.deps.queue.run(threadId, async () => {
      const runtime = await this.deps.registry.load(threadId);
      const running = runtime.state.activeTurnId;
      if (running !== null) throw DomainErrors.turnAlreadyRunning(threadId, running);
      this.checkOverrides(runtime.state, request.settings);
      runtime.subscribe(caller);
      runtime.turnOwner = caller;
      const publishSettings = this.changeSettings(runtime, request.settings);
      const { turnId, publish, run } = this.deps.turns.begin(runtime, request.input, request.options);
      const turn = get(runtime.state.turns, indexOfKey(runtime.state.turns, turnId, (t) => t.id))!;
      return {
        value: turn,
        publish: () => {
          publishSettings();
          publish();
          run();
        },
      };
    });
  }

  /** The user's command run in the thread (turn-engine.ts userCommand); it starts once the answer is out. */
  userCommand(threadId: string, command: string, timeoutMs: number, caller: Subscriber): Promise<Changed<null>> {
    return this.deps.queue.run(threadId, async () => {
      const runtime = await this.deps.registry.load(threadId);
      runtime.subscribe(caller);
      if (runtime.state.activeTurnId === null) runtime.turnOwner = caller;
      return { value: null, publish: this.deps.turns.userCommand(runtime, command, timeoutMs) };
    });
  }

  /** thread/compact/start: a compaction turn; refused while a turn runs. */
  compact(threadId: string, caller: Subscriber): Promise<Changed<null>> {
    return this.deps.queue.run(threadId, async () => {
      const runtime = await this.deps.registry.load(threadId);
      runtime.subscribe(caller);
      if (runtime.state.activeTurnId === null) runtime.turnOwner = caller;
      return { value: null, publish: this.deps.turns.compact(runtime) };
    });
  }

  /** Adds input to the running turn, abandoning the model call in flight (turn-engine.ts). */
  steer(threadId: string, expectedTurnId: string, input: UserInput[]): Promise<Changed<string>> {
    return this.deps.queue.run(threadId, async () => {
      const runtime = this.deps.registry.get(threadId);
      if (runtime === undefined) throw (await this.ownedElsewhere(threadId)) ?? DomainErrors.noTurnToSteer();
      const { turnId, publish } = this.deps.turns.steer(runtime, expectedTurnId, input);
      return { value: turnId, publish };
    });
  }

  /**
   * Not queued: an interrupt must reach a turn even while commands wait behind it. `publish`
   * interrupts. Synchronous when the thread is in memory here; of a thread another live process
   * runs, OwnedElsewhere (the server forwards it).
   */
  interrupt(threadId: string, turnId: string): Changed<null> | Promise<Changed<null>> {
    if (this.deps.registry.get(threadId) !== undefined) return { value: null, publish: this.deps.turns.interrupt(threadId, turnId) };
    return this.ownedElsewhere(threadId).then((owned) => {
      if (owned !== null) throw owned;
      return { value: null, publish: this.deps.turns.interrupt(threadId, turnId) };
    });
  }

  /** The OwnedElsewhere error for a thread not in memory here that another live process runs, else null. */
  private async ownedElsewhere(threadId: string): Promise<OwnedElsewhere | null> {
    const owner = await this.deps.registry.leases.ownerOf(threadId);
    return owner === null ? null : new OwnedElsewhere(threadId, owner);
  }

  /**
   * A one-event change to a thread, loading it for the duration if nobody has; the caller hears it
   * too. `beforeResponse` may announce more (it gets the thread's listeners and the caller).
   */
  private change(
    threadId: string,
    caller: Subscriber,
    build: (state: ThreadState) => EventBody,
    beforeResponse?: (runtime: ThreadRuntime, recipients: Subscriber[]) => void,
  ): Promise<Changed<ThreadState>> {
    return this.deps.queue.run(threadId, () => this.commit(threadId, caller, build, beforeResponse));
  }

  /** The body of `change`, for a command that does more in the same turn of the queue. */
  private async commit(
    threadId: string,
    caller: Subscriber,
    build: (state: ThreadState) => EventBody,
    beforeResponse?: (runtime: ThreadRuntime, recipients: Subscriber[]) => void,
  ): Promise<Changed<ThreadState>> {
    const wasLoaded = this.deps.registry.isLoaded(threadId);
    const runtime = await this.deps.registry.load(threadId);
    try {
      const publish = runtime.apply([this.event(threadId, build(runtime.state))], { deferred: true, extraRecipients: [caller] });
      if (wasLoaded) beforeResponse?.(runtime, [...new Set([...runtime.subscribers, caller])]);
      return { value: runtime.state, publish };
    } finally {
      if (!wasLoaded) this.deps.registry.unload(threadId);
    }
  }

  /** A request that names a model or provider must leave the thread on a model some provider serves. */
  private checkOverrides(state: ThreadState, params: SettingsParams): void {
    if (params.model == null && params.modelProvider == null) return;
    this.deps.checkModel?.(params.modelProvider ?? state.settings.modelProvider, params.model ?? state.settings.model);
  }

  private changeSettings(runtime: ThreadRuntime, params: SettingsParams): () => void {
    const settings = settingsOverrides(runtime.state.settings, params);
    if (Object.keys(settings).length === 0) return nothing;
    return runtime.apply([this.event(runtime.state.id, { type: 'thread/settingsChanged', settings })], { deferred: true });
  }

  private event<B extends EventBody>(threadId: string, body: B) {
    return stampEvent(threadId, this.deps.now(), body);
  }
}

/** A status the thread's events do not carry (a load or unload), told to whoever listens. */
function announceStatus(runtime: ThreadRuntime, recipients: Iterable<Subscriber>, status: ThreadStatus, at: number): void {
  runtime.signalAll({ type: 'threadStatus', threadId: runtime.state.id, status }, at, new Set(recipients));
}

/** The thread's last turn, running or not; null before the first. */
function lastTurnId(state: ThreadState): string | null {
  return state.turns.length === 0 ? null : (get(state.turns, state.turns.length - 1)?.id ?? null);
}
