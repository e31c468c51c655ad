// collaborationMode/list: Keel's two modes, as Codex presents them (Plan reasons at medium effort).
import type { Handler } from '../dispatch.js';

export function collaborationModeList(): Handler<'collaborationMode/list'> {
  return () => ({
    data: [
      { name: 'Plan', mode: 'plan', model: null, reasoning_effort: 'medium' },
      { name: 'Default', mode: 'default', model: null, reasoning_effort: null },
    ],
  });
}
