// model/list (Codex v2) with Keel's additions: which provider serves a model, its context window
// and whether it takes tools.
import * as z from 'zod';
import { UInt } from './common.js';
import { ReasoningEffort } from './thread-model.js';

export const ModelListParams = z.object({
  modelProvider: z.string().nullish(),
  cursor: z.string().nullish(),
  limit: UInt.nullish(),
  includeHidden: z.boolean().nullish(),
});

export const ReasoningEffortOption = z.object({ reasoningEffort: ReasoningEffort, description: z.string() });
export const InputModality = z.enum(['text', 'image', 'audio']);

export const Model = z.object({
  id: z.string(),
  model: z.string(),
  displayName: z.string(),
  description: z.string(),
  hidden: z.boolean(),
  isDefault: z.boolean(),
  defaultReasoningEffort: ReasoningEffort,
  supportedReasoningEfforts: z.array(ReasoningEffortOption),
  inputModalities: z.array(InputModality),
  modelProvider: z.string().describe('Keel extension: the provider that serves this model (pass it as thread/start.modelProvider).'),
  contextWindow: z.number().int().nullable().describe('Keel extension: context window in tokens, when known.'),
  supportsTools: z.boolean().describe('Keel extension: whether the model takes function tools.'),
});

export const ModelListingFailure = z.object({
  modelProvider: z.string().describe('The provider whose own model listing failed.'),
  message: z.string().describe("Why: the provider's error (e.g. 401, unreachable) or the 5-second limit."),
});

export const ModelListResponse = z.object({
  data: z.array(Model),
  nextCursor: z.string().nullable(),
  listingFailures: z
    .array(ModelListingFailure)
    .describe("Keel extension: each provider listed whose own model listing failed, and why; its entries in `data` are Keel's catalog (none for a provider the catalog does not know). Empty when every listing worked."),
});
