// What Keel asks a client while a turn runs, and the answers it takes, in the engine's own terms:
// a question names its kind, its subject and what it offers; each session renders it in its
// protocol and parses the client's reply into one of these answers (the Codex session:
// src/server/codex-questions.ts). A reply that is an error or malformed arrives as the kind's
// "no" (`decline`, or null where there is no decline), so the engine never sees a wire shape.
// The namespace import, as everywhere in Keel: `import { z }` pulls all of zod (350 KB more) into keel-server.cjs.
import * as z from 'zod';
import type { CommandAction } from '../tools/exec/index.js';

/** A question the model put to the user (Plan mode's `request_user_input`), as the model's arguments are read. */
export const UserQuestion = z.object({
  id: z.string(),
  header: z.string(),
  question: z.string(),
  isOther: z.boolean().optional(),
  isSecret: z.boolean().optional(),
  options: z.array(z.object({ label: z.string(), description: z.string() })).nullish(),
});
export type UserQuestion = z.output<typeof UserQuestion>;

/** What a client tool returns (inputText etc., as the client gave it). */
export type ClientToolContent = { type: 'inputText'; text: string } | { type: 'inputImage'; imageUrl: string } | { type: 'inputAudio'; audioUrl: string };

interface TurnSubject {
  threadId: string;
  turnId: string;
}

export type Question =
  | (TurnSubject & {
      kind: 'commandApproval';
      itemId: string;
      startedAtMs: number;
      reason: string | null;
      /** The command as the user should read it. */
      command: string;
      cwd: string;
      actions: CommandAction[];
      /** The prefix rule accepting would add ("always allow commands starting with these words"), when one fits. */
      proposedRule: string[] | null;
      /** The decisions the client may answer, in the order to show them (approvals/offered-decisions.ts). */
      offered: Answers['commandApproval'][];
    })
  | (TurnSubject & { kind: 'fileChangeApproval'; itemId: string; startedAtMs: number; reason: string | null })
  | (TurnSubject & { kind: 'mcpToolApproval'; itemId: string; server: string; tool: string; message: string })
  | (TurnSubject & { kind: 'userInput'; itemId: string; questions: UserQuestion[] })
  | (TurnSubject & { kind: 'clientToolCall'; callId: string; namespace: string | null; tool: string; /** The call's arguments, as JSON. */ input: unknown });

export type QuestionKind = Question['kind'];
export type QuestionOf<K extends QuestionKind> = Extract<Question, { kind: K }>;

export type ApprovalDecision = 'accept' | 'acceptForSession' | 'decline' | 'cancel';

export interface Answers {
  /** `acceptWithRule`: accept, and accept from now on every command starting with these words. */
  commandApproval: ApprovalDecision | { acceptWithRule: string[] } | { networkRule: { host: string; action: string } };
  fileChangeApproval: ApprovalDecision;
  mcpToolApproval: 'accept' | 'decline' | 'cancel';
  /** Null: the client answered with an error or something that is no answer. */
  userInput: { answers: Record<string, { answers: string[] }> } | null;
  clientToolCall: { contentItems: ClientToolContent[]; success: boolean } | null;
}

export type AnswerOf<K extends QuestionKind> = Answers[K];

/**
 * A question on its way: the id the subscriber sent it under (a `questionSettled` signal names it
 * back), and the answer (never settles when the client went away before answering: someone else may).
 */
export interface AskedQuestion<K extends QuestionKind = QuestionKind> {
  id: number | string;
  answer: Promise<AnswerOf<K>>;
}
