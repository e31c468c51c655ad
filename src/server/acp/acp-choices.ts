// What the editor chose for each of this connection's sessions (session/set_mode,
// session/set_config_option) and has not yet reached its thread: it goes out with the next
// prompt's turn settings, and from then on is the thread's own (persisted, seen by every client).
// Plan mode is the exception: a turn option the thread does not keep, it stays here.
import type { ThreadSettings } from '../../core/events.js';
import { sandboxPolicyFor, type SettingsParams } from '../../engine/thread-settings.js';
import { customOf, type ModeChoice } from './acp-modes.js';

export type EffectiveSettings = Pick<ThreadSettings, 'approvalPolicy' | 'sandbox' | 'model' | 'modelProvider' | 'reasoningEffort'>;

interface Choice {
  pending: SettingsParams;
  mode: ModeChoice;
}

export class SessionChoices {
  private readonly bySession = new Map<string, Choice>();

  /** The session's choice; the first look captures the "custom" mode from the thread's settings. */
  of(sessionId: string, settings: ThreadSettings): Choice {
    let choice = this.bySession.get(sessionId);
    if (choice === undefined) {
      choice = { pending: {}, mode: { plan: false, custom: customOf(settings) } };
      this.bySession.set(sessionId, choice);
    }
    return choice;
  }

  /** The thread's settings as the next prompt will run them. */
  effective(sessionId: string, settings: ThreadSettings): EffectiveSettings {
    const { pending } = this.of(sessionId, settings);
    const sandbox = pending.sandboxPolicy ?? (pending.sandbox != null ? sandboxPolicyFor(pending.sandbox, settings.cwd) : settings.sandbox);
    return {
      approvalPolicy: pending.approvalPolicy ?? settings.approvalPolicy,
      sandbox,
      model: pending.model ?? settings.model,
      modelProvider: pending.modelProvider ?? settings.modelProvider,
      reasoningEffort: pending.reasoningEffort ?? settings.reasoningEffort,
    };
  }

  choose(sessionId: string, settings: ThreadSettings, change: SettingsParams, plan?: boolean): void {
    const choice = this.of(sessionId, settings);
    choice.pending = { ...choice.pending, ...change };
    if (plan !== undefined) choice.mode.plan = plan;
  }

  /** The next turn's settings and collaboration mode. */
  forTurn(sessionId: string, settings: ThreadSettings): { settings: SettingsParams; mode: 'plan' | 'default' } {
    const choice = this.of(sessionId, settings);
    return { settings: choice.pending, mode: choice.mode.plan ? 'plan' : 'default' };
  }

  /** A turn started with `sent`: those settings are the thread's now (a choice made since stays pending). */
  applied(sessionId: string, sent: SettingsParams): void {
    const choice = this.bySession.get(sessionId);
    if (choice !== undefined && choice.pending === sent) choice.pending = {};
  }
}
