// Re-renders a component whenever the model changes (at most once a frame).
import { useEffect, useState } from 'preact/hooks';
import type { InspectorModel } from './inspector-model.js';

export function useModel(model: InspectorModel): number {
  const [version, setVersion] = useState(model.version);
  useEffect(() => model.subscribe(() => setVersion(model.version)), [model]);
  return version;
}
