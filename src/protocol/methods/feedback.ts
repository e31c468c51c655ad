// feedback/*: reports kept locally, never sent anywhere.
import { clientRequest } from '../method-spec.js';
import * as F from '../schemas/feedback-methods.js';

export const feedbackMethods = {
  'feedback/save': clientRequest({
    typeName: 'FeedbackSave',
    stability: 'stable',
    summary: "Writes a feedback report (a ZIP: the client's words, the thread's event log, named log files) to a new file at `savePath`.",
    params: F.FeedbackSaveParams,
    result: F.FeedbackSaveResponse,
    codexResult: 'v2/FeedbackSaveResponse',
  }),
  'feedback/upload': clientRequest({
    typeName: 'FeedbackUpload',
    stability: 'stable',
    summary: 'Keeps a feedback report under `$KEEL_HOME/feedback/` instead of uploading it (Keel sends nothing anywhere); `savedPath` says where.',
    params: F.FeedbackUploadParams,
    result: F.FeedbackUploadResponse,
    codexResult: 'v2/FeedbackUploadResponse',
  }),
} as const;
