// Token usage and cost per turn and per thread. (To come.)
import type { InspectorModel } from '../model/inspector-model.js';

export function UsagePanel({ model }: { model: InspectorModel }) {
  return <p class="empty">{model.selectedThreadId === null ? 'No thread open.' : 'Usage: to come.'}</p>;
}
