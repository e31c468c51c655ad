// experimentalFeature/*: the `[features]` flags of config.toml, listed and set.
import { clientRequest } from '../method-spec.js';
import * as F from '../schemas/feature-methods.js';

export const featureMethods = {
  'experimentalFeature/list': clientRequest({
    typeName: 'ExperimentalFeatureList',
    stability: 'stable',
    summary: 'The feature flags set in config.toml\'s `[features]` (or by `--enable`/`--disable`), each with its value.',
    params: F.ExperimentalFeatureListParams,
    result: F.ExperimentalFeatureListResponse,
    codexResult: 'v2/ExperimentalFeatureListResponse',
  }),
  'experimentalFeature/enablement/set': clientRequest({
    typeName: 'ExperimentalFeatureEnablementSet',
    stability: 'stable',
    summary: 'Sets feature flags in config.toml\'s `[features]` (kept across restarts); answers the flags written.',
    params: F.ExperimentalFeatureEnablementSetParams,
    result: F.ExperimentalFeatureEnablementSetResponse,
    codexResult: 'v2/ExperimentalFeatureEnablementSetResponse',
  }),
} as const;
