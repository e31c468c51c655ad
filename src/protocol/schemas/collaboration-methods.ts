// Collaboration modes (experimental in Codex): Plan, where the model reads and proposes a plan,
// and Default, where it acts.
import * as z from 'zod';
import { emptyObject } from './common.js';
import { ReasoningEffort } from './thread-model.js';

export const CollaborationModeListParams = emptyObject();
export const CollaborationModeMask = z.object({
  name: z.string(),
  mode: z.enum(['plan', 'default']).nullable(),
  model: z.string().nullable(),
  reasoning_effort: ReasoningEffort.nullable(),
});
export const CollaborationModeListResponse = z.object({ data: z.array(CollaborationModeMask) });
