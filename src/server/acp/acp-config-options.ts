// The session's config options (ACP v1's form of model selection): a `model` select over every
// model of every provider Keel can use, grouped by provider — the very list model/list gives the
// app-server's clients (handlers/models.ts) — and, for a model that reasons, its reasoning effort.
// A model value is `<provider>/<model>`; a choice goes out with the next prompt's turn settings
// (acp-choices.ts).
import type { SessionConfigOption, SessionConfigSelectGroup } from '@agentclientprotocol/sdk';
import type { z } from 'zod';
import type { Model } from '../../protocol/schemas/model-methods.js';
import { RpcErrors } from '../../protocol/errors.js';
import type { RequestContext } from '../dispatch.js';
import { modelList } from '../handlers/models.js';
import type { Keel } from '../open-keel.js';
import type { SettingsParams } from '../../engine/thread-settings.js';
import type { EffectiveSettings } from './acp-choices.js';

export const MODEL_OPTION = 'model';
export const EFFORT_OPTION = 'reasoning_effort';
const LIST_LIMIT = 1000;

type ListedModel = z.output<typeof Model>;
export interface ModelChoice {
  model: string;
  modelProvider: string;
}

const valueOf = (choice: ModelChoice): string => `${choice.modelProvider}/${choice.model}`;

/** Every model of every usable provider, as model/list lists them (each provider's listing bounded in time there). */
export async function listModels(keel: Keel): Promise<ListedModel[]> {
  const list = modelList({ providers: keel.providers, defaults: keel.defaults, env: keel.providerEnv, configured: () => Object.keys(keel.config.resolved().modelProviders) });
  // model/list reads only the request's signal of its context.
  const context = { signal: new AbortController().signal } as RequestContext;
  return (await list({ limit: LIST_LIMIT }, context)).data;
}

export function configOptions(models: readonly ListedModel[], current: EffectiveSettings): SessionConfigOption[] {
  const groups = new Map<string, SessionConfigSelectGroup>();
  for (const model of models) {
    const provider = model.modelProvider ?? '';
    const group = groups.get(provider) ?? { group: provider, name: provider, options: [] };
    group.options.push({ value: valueOf({ model: model.id, modelProvider: provider }), name: model.displayName, description: model.description });
    groups.set(provider, group);
  }
  // The thread's model is offered even when no listing has it (a model config.toml names, say).
  const currentValue = valueOf(current);
  if (!models.some((model) => valueOf({ model: model.id, modelProvider: model.modelProvider ?? '' }) === currentValue)) {
    const group = groups.get(current.modelProvider) ?? { group: current.modelProvider, name: current.modelProvider, options: [] };
    group.options.unshift({ value: currentValue, name: current.model, description: `The session's model, via ${current.modelProvider}` });
    groups.set(current.modelProvider, group);
  }
  const model: SessionConfigOption = { type: 'select', id: MODEL_OPTION, name: 'Model', category: 'model', description: 'The model the next prompt goes to, of any provider Keel is set up for', currentValue, options: [...groups.values()] };
  const effort = effortOption(models.find((listed) => valueOf({ model: listed.id, modelProvider: listed.modelProvider ?? '' }) === currentValue), current);
  return effort === null ? [model] : [model, effort];
}

/** The reasoning effort of a model that reasons; null for one that does not (or is not listed). */
function effortOption(model: ListedModel | undefined, current: EffectiveSettings): SessionConfigOption | null {
  if (model === undefined || model.supportedReasoningEfforts.length === 0) return null;
  const efforts = model.supportedReasoningEfforts.map((option) => option.reasoningEffort);
  // No effort set: the model's default, as model/list names it.
  const currentValue = current.reasoningEffort !== null && efforts.includes(current.reasoningEffort) ? current.reasoningEffort : model.defaultReasoningEffort;
  return { type: 'select', id: EFFORT_OPTION, name: 'Reasoning effort', category: 'thought_level', description: 'How hard the model thinks before it answers', currentValue, options: model.supportedReasoningEfforts.map((option) => ({ value: option.reasoningEffort, name: option.reasoningEffort, description: option.description })) };
}

/** The settings a `session/set_config_option` changes; an unknown option or value is -32602 naming it. */
export function chosenSettings(configId: string, value: unknown, models: readonly ListedModel[], current: EffectiveSettings): SettingsParams {
  const options = configOptions(models, current);
  const option = options.find((candidate) => candidate.id === configId);
  if (option === undefined || option.type !== 'select') throw RpcErrors.invalidParams(`configId: Keel has no config option ${JSON.stringify(configId)} (it has: ${options.map((candidate) => candidate.id).join(', ')})`);
  const offered = option.options.flatMap((group) => ('group' in group ? group.options : [group]));
  if (typeof value !== 'string' || !offered.some((candidate) => candidate.value === value)) {
    throw RpcErrors.invalidParams(`value: ${JSON.stringify(value)} is none of the ${configId === MODEL_OPTION ? 'models offered (a value is <provider>/<model>)' : `values of ${configId}`}`);
  }
  return configId === MODEL_OPTION ? chosenModel(value, models, current) : { reasoningEffort: value };
}

function chosenModel(value: string, models: readonly ListedModel[], current: EffectiveSettings): ModelChoice {
  const listed = models.find((model) => valueOf({ model: model.id, modelProvider: model.modelProvider ?? '' }) === value);
  return listed ? { model: listed.id, modelProvider: listed.modelProvider ?? '' } : { model: current.model, modelProvider: current.modelProvider };
}
