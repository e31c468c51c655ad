// feedback/save and feedback/upload over engine/feedback-reports.ts: nothing leaves this machine.
import type { FeedbackReports } from '../../engine/feedback-reports.js';
import type { Handler } from '../dispatch.js';

export function feedbackHandlers(reports: Pick<FeedbackReports, 'save' | 'upload'>): {
  'feedback/save': Handler<'feedback/save'>;
  'feedback/upload': Handler<'feedback/upload'>;
} {
  return {
    'feedback/save': async ({ savePath, ...request }) => ({ ...(await reports.save(request, savePath)), promptHash: null }),
    'feedback/upload': async (request) => ({ ...(await reports.upload(request)), promptHash: null }),
  };
}
