// Any client request, its form built from the protocol's JSON Schema. (To come.)
import type { InspectorModel } from '../model/inspector-model.js';

export function RequestConsole({ model: _model }: { model: InspectorModel }) {
  return <p class="empty">Request console: to come.</p>;
}
