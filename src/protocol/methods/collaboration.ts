// collaborationMode/list: the modes a turn can run in (turn/start.collaborationMode).
import { clientRequest } from '../method-spec.js';
import * as C from '../schemas/collaboration-methods.js';

export const collaborationMethods = {
  'collaborationMode/list': clientRequest({
    typeName: 'CollaborationModeList',
    stability: 'experimental',
    summary: 'The collaboration modes: Plan (read, search, propose a plan; change nothing) and Default (act).',
    params: C.CollaborationModeListParams,
    result: C.CollaborationModeListResponse,
    codexResult: 'v2/CollaborationModeListResponse',
  }),
} as const;
