// What the editor chose for each of this connection's sessions (session/set_mode,
// session/set_config_option) and has not yet reached its thread: it goes out with the next
// prompt's turn settings, and from then on is the thread's own (persisted, seen by every client).
// Plan mode is a turn option, so it is sent with every prompt while chosen; the thread keeps it only
// as its turns' recorded context, which is where a session seen first here reads it from
// (engine/turns/plan-mode-in-effect.ts): a thread whose last turn ran in Plan mode stays in it.
import type { ThreadSettings } from '../../core/events.js';
import type { ThreadState } from '../../core/state.js';
import { inPlanMode } from '../../engine/turns/plan-mode-in-effect.js';
import { sandboxPolicyFor, type SettingsParams } from '../../engine/thread-settings.js';
import { customOf, type ModeChoice } from './acp-modes.js';

export type EffectiveSettings = Pick<ThreadSettings, 'approvalPolicy' | 'sandbox' | 'model' | 'modelProvider' | 'reasoningEffort'>;

interface Choice {
  pending: SettingsParams;
  mode: ModeChoice;
}

export class SessionChoices {
  private readonly bySession = new Map<string, Choice>();

  /** The session's choice; the first look captures Plan mode and the "custom" mode from the thread. */
  of(thread: ThreadState): Choice {
    let choice = this.bySession.get(thread.id);
    if (choice === undefined) {
      choice = { pending: {}, mode: { plan: inPlanMode(thread), custom: customOf(thread.settings) } };
      this.bySession.set(thread.id, choice);
    }
    return choice;
  }

  /** The thread's settings as the next prompt will run them. */
  effective(thread: ThreadState): EffectiveSettings {
    const { pending } = this.of(thread);
    const { settings } = thread;
    const sandbox = pending.sandboxPolicy ?? (pending.sandbox != null ? sandboxPolicyFor(pending.sandbox, settings.cwd) : settings.sandbox);
    return {
      approvalPolicy: pending.approvalPolicy ?? settings.approvalPolicy,
      sandbox,
      model: pending.model ?? settings.model,
      modelProvider: pending.modelProvider ?? settings.modelProvider,
      reasoningEffort: pending.reasoningEffort ?? settings.reasoningEffort,
    };
  }

  choose(thread: ThreadState, change: SettingsParams, plan?: boolean): void {
    const choice = this.of(thread);
    choice.pending = { ...choice.pending, ...change };
    if (plan !== undefined) choice.mode.plan = plan;
  }

  /** The next turn's settings and collaboration mode. */
  forTurn(thread: ThreadState): { settings: SettingsParams; mode: 'plan' | 'default' } {
    const choice = this.of(thread);
    return { settings: choice.pending, mode: choice.mode.plan ? 'plan' : 'default' };
  }

  /** The session was closed here: choices not yet sent are dropped; a later prompt starts from the thread's settings. */
  forget(sessionId: string): void {
    this.bySession.delete(sessionId);
  }

  /** A turn started with `sent`: those settings are the thread's now (a choice made since stays pending). */
  applied(sessionId: string, sent: SettingsParams): void {
    const choice = this.bySession.get(sessionId);
    if (choice !== undefined && choice.pending === sent) choice.pending = {};
  }
}
