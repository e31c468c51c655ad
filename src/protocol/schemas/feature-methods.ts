// experimentalFeature/* (Codex v2): the feature flags of config.toml's `[features]` table (and the
// `--enable`/`--disable` flags), listed and set. Keel's own behaviour reads no flag today: they are
// kept for the clients that set and read them, as Codex keeps them in the same table.
import * as z from 'zod';
import { UInt } from './common.js';

export const ExperimentalFeatureListParams = z.object({ cursor: z.string().nullish(), limit: UInt.nullish(), threadId: z.string().nullish() });

export const ExperimentalFeature = z.object({
  name: z.string().describe('The key under `[features]` in config.toml.'),
  stage: z.literal('underDevelopment').describe('Keel has no released feature behind a flag: every flag is one a client set.'),
  displayName: z.null(),
  description: z.null(),
  announcement: z.null(),
  enabled: z.boolean().describe('Its value in the merged config (a `--enable`/`--disable` flag over config.toml).'),
  defaultEnabled: z.literal(false),
});

export const ExperimentalFeatureListResponse = z.object({
  data: z.array(ExperimentalFeature).describe('Every flag set in `[features]` or by a flag, sorted by name.'),
  nextCursor: z.null(),
});

export const ExperimentalFeatureEnablementSetParams = z.object({
  enablement: z.record(z.string(), z.boolean()).describe('Flags to set, by name; others are left as they are. `{}` changes nothing.'),
});

export const ExperimentalFeatureEnablementSetResponse = z.object({
  enablement: z.record(z.string(), z.boolean()).describe('The flags this request wrote.'),
});
