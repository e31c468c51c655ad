// feedback/save and feedback/upload (Codex v2): a report kept on this machine as a ZIP archive,
// never sent anywhere (Keel has no feedback service).
import * as z from 'zod';

const FeedbackFields = {
  classification: z.string().describe('What kind of report (e.g. `bug`), as the client names it; kept in feedback.json.'),
  reason: z.string().nullish(),
  tags: z.record(z.string(), z.string()).nullish(),
  threadId: z.string().nullish().describe("The thread reported on: its whole event log goes in the archive (secrets Keel holds redacted)."),
  includeLogs: z.boolean().optional().describe('Keel keeps no log file (it logs to stderr); feedback.json says so.'),
  extraLogFiles: z.array(z.string()).nullish().describe('Files on this host to include (their last 8 MiB), each under logs/.'),
};

export const FeedbackSaveParams = z.object({
  ...FeedbackFields,
  savePath: z.string().describe('Absolute path of a new file: the archive is written there (0600); an existing file is refused.'),
});

export const FeedbackSaveResponse = z.object({
  savedPath: z.string(),
  threadId: z.string().describe("The thread reported on, else the report's own id."),
  promptHash: z.null().describe('Keel records no prompt hash.'),
});

export const FeedbackUploadParams = z.object(FeedbackFields);

export const FeedbackUploadResponse = z.object({
  threadId: z.string().describe("The thread reported on, else the report's own id."),
  promptHash: z.null().describe('Keel records no prompt hash.'),
  savedPath: z.string().describe('Keel extension: where the report was kept, `$KEEL_HOME/feedback/<id>.zip` — nothing is uploaded.'),
});
