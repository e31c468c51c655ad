// turn/* requests (Codex v2). Per-turn overrides apply to this turn and the ones after it.
import * as z from 'zod';
import { emptyObject, JsonValue } from './common.js';
import { boundedString, limits } from './limits.js';
import {
  CollaborationMode,
  ApprovalsReviewer,
  AskForApproval,
  FunctionCallOutputBody,
  Personality,
  ReasoningEffort,
  ReasoningSummary,
  SandboxPolicy,
  Turn,
  UserInput,
} from './thread-model.js';

/** A tool result the client supplies as the turn's first input. */
export const TurnToolOutput = z.object({
  name: z.string(),
  namespace: z.string().nullish(),
  output: FunctionCallOutputBody,
  retain: z.boolean().optional(),
});

export const TurnStartParams = z.object({
  threadId: z.string(),
  input: z.array(UserInput),
  clientUserMessageId: z.string().nullish(),
  // The overrides a thread keeps for later turns are bounded, see limits.ts.
  cwd: boundedString(limits.path).nullish(),
  approvalPolicy: AskForApproval.nullish(),
  approvalsReviewer: ApprovalsReviewer.nullish(),
  sandboxPolicy: SandboxPolicy.nullish(),
  model: boundedString(limits.identifier).nullish(),
  serviceTier: boundedString(limits.identifier).nullish(),
  serviceTierForTurn: boundedString(limits.identifier).nullish(),
  effort: ReasoningEffort.nullish(),
  summary: ReasoningSummary.nullish(),
  personality: Personality.nullish(),
  outputSchema: JsonValue.optional(),
  collaborationMode: CollaborationMode.nullish(),
  disabledPluginIds: z.array(z.string()).nullish(),
  turnTrigger: z.string().nullish(),
  parentTurnId: z.string().nullish(),
  rootTurnId: z.string().nullish(),
  toolOutput: TurnToolOutput.nullish(),
});
export const TurnStartResponse = z.object({ turn: Turn });

export const ReviewTarget = z.discriminatedUnion('type', [
  z.object({ type: z.literal('uncommittedChanges') }),
  z.object({ type: z.literal('baseBranch'), branch: boundedString(limits.identifier) }),
  z.object({ type: z.literal('commit'), sha: boundedString(limits.identifier), title: z.string().nullish() }),
  z.object({ type: z.literal('custom'), instructions: z.string().min(1) }),
]);

export const ReviewStartParams = z.object({
  threadId: z.string(),
  target: ReviewTarget,
  delivery: z.enum(['inline']).nullish().describe('Reviews run inline on the thread named (Codex 0.169 offers only this).'),
});

export const ReviewStartResponse = z.object({ turn: Turn, reviewThreadId: z.string() });

export const TurnSteerParams = z.object({
  threadId: z.string(),
  input: z.array(UserInput),
  expectedTurnId: z.string(),
  clientUserMessageId: z.string().nullish(),
});
export const TurnSteerResponse = z.object({ turnId: z.string() });

export const TurnInterruptParams = z.object({ threadId: z.string(), turnId: z.string() });
export const TurnInterruptResponse = emptyObject();
