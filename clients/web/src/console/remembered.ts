// State a tool panel keeps while the user looks at another tab (the panels unmount when hidden):
// one small store per model, so nothing lives at module level.
import { useState } from 'preact/hooks';
import type { InspectorModel } from '../model/inspector-model.js';

const stores = new WeakMap<InspectorModel, Map<string, unknown>>();

/** Like useState, but the value outlives the component: kept per model under `key`. */
export function useRemembered<T>(model: InspectorModel, key: string, initial: T): [T, (value: T) => void] {
  let store = stores.get(model);
  if (store === undefined) {
    store = new Map();
    stores.set(model, store);
  }
  const kept = store;
  const [value, setValue] = useState<T>(() => (kept.has(key) ? (kept.get(key) as T) : initial));
  return [
    value,
    (next: T) => {
      kept.set(key, next);
      setValue(next);
    },
  ];
}
