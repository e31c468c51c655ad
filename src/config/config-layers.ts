// The configuration as layers, lowest precedence first: Keel's built-in defaults, the user's
// config.toml, the session flags (`-c`). As in Codex, the effective config is their deep merge (a
// table merges key by key, any other value replaces), each leaf's origin is the layer that set it
// last, and a write to the user file that a higher layer hides is reported as overridden. Pure.
import type { z } from 'zod';
import type { JsonValue } from '../protocol/schemas/common.js';
import type { ConfigLayerMetadata, ConfigLayerSource, OverriddenMetadata } from '../protocol/schemas/config-methods.js';
import { isTable, leafPaths, type JsonObject } from './config-document.js';

export type LayerSource = z.output<typeof ConfigLayerSource>;
export type LayerMetadata = z.output<typeof ConfigLayerMetadata>;

export interface ConfigLayerView extends LayerMetadata {
  /** The layer as given (config.toml as written, invalid values included): `layers[].config`. */
  raw: JsonObject;
  /** What the layer contributes: its valid values. */
  effective: JsonObject;
}

export interface MergedConfig {
  config: JsonObject;
  /** Dotted leaf path → the layer its value comes from. */
  origins: Record<string, LayerMetadata>;
}

function mergeInto(target: JsonObject, patch: JsonObject, at: string, from: LayerMetadata, origins: Map<string, LayerMetadata>): void {
  for (const [key, value] of Object.entries(patch)) {
    const path = at === '' ? key : `${at}.${key}`;
    const existing = target[key];
    if (isTable(value) && isTable(existing)) {
      mergeInto(existing as JsonObject, value as JsonObject, path, from, origins);
      continue;
    }
    for (const leaf of origins.keys()) if (leaf === path || leaf.startsWith(`${path}.`)) origins.delete(leaf);
    target[key] = structuredClone(value);
    for (const leaf of isTable(value) ? leafPaths(value as JsonObject, path) : [path]) origins.set(leaf, from);
  }
}

/** The effective config of `layers` (lowest precedence first) and the origin of each leaf. */
export function mergeLayers(layers: readonly ConfigLayerView[]): MergedConfig {
  const config: JsonObject = {};
  const origins = new Map<string, LayerMetadata>();
  for (const layer of layers) mergeInto(config, layer.effective, '', { name: layer.name, version: layer.version }, origins);
  return { config, origins: Object.fromEntries(origins) };
}

/** The value at a dotted key path, if every step is a table that has it. */
export function valueAt(config: JsonObject, keyPath: string): JsonValue | undefined {
  let node: JsonValue | undefined = config;
  for (const key of keyPath.split('.')) {
    if (!isTable(node) || !Object.hasOwn(node, key)) return undefined;
    node = (node as JsonObject)[key];
  }
  return node;
}

/** Whether `config` decides the value at `keyPath`: it holds one there, or a non-table on the way. */
function decides(config: JsonObject, keyPath: string): boolean {
  let node: JsonValue = config;
  for (const key of keyPath.split('.')) {
    if (!isTable(node)) return true;
    if (!Object.hasOwn(node, key)) return false;
    node = (node as JsonObject)[key]!;
  }
  return true;
}

function sameJson(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (isTable(a) && isTable(b)) {
    const [ka, kb] = [Object.keys(a as JsonObject), Object.keys(b as JsonObject)];
    return ka.length === kb.length && ka.every((k) => Object.hasOwn(b as JsonObject, k) && sameJson((a as JsonObject)[k], (b as JsonObject)[k]));
  }
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameJson(x, b[i]));
  return a === b;
}

function overrideMessage(source: LayerSource): string {
  switch (source.type) {
    case 'sessionFlags':
      return 'Overridden by session flags';
    case 'user':
      return `Overridden by user config: ${source.file}`;
    case 'packagedDefaults':
      return `Overridden by packaged defaults: ${source.file}`;
  }
}

/**
 * Whether the value the user file now holds at `keyPath` is hidden by a layer above it (Codex's
 * rule: the user's value differs from the effective one, and a higher layer decides that key). The
 * defaults sit below the file and never hide it.
 */
export function overriddenAt(layers: readonly ConfigLayerView[], keyPath: string): z.output<typeof OverriddenMetadata> | null {
  const userIndex = layers.findIndex((layer) => layer.name.type === 'user');
  if (userIndex === -1) return null;
  const above = layers.slice(userIndex + 1);
  const effective = valueAt(mergeLayers(layers.slice(userIndex)).config, keyPath);
  if (sameJson(valueAt(layers[userIndex]!.effective, keyPath), effective)) return null;
  const overriding = above.reverse().find((layer) => decides(layer.effective, keyPath));
  if (overriding === undefined) return null;
  return {
    message: overrideMessage(overriding.name),
    overridingLayer: { name: overriding.name, version: overriding.version },
    effectiveValue: effective ?? null,
  };
}
