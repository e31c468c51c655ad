// Thread sections (a user's named groups of threads in a sidebar, ordered within each) and thread
// attachments (records a client keeps with a thread, found again by type and identity key), as
// Codex 0.171.0 defines them. Both live in the store's own tables (migration 6), not in the log.
import * as z from 'zod';
import { emptyObject, JsonValue, UInt } from './common.js';
import { limits, wellFormedString } from './limits.js';

const cursorAndLimit = { cursor: z.string().nullish(), limit: UInt.nullish() };

export const ThreadSectionAppearance = z.object({
  color: wellFormedString(limits.identifier).nullish(),
  icon: wellFormedString(limits.identifier).nullish(),
});

export const ThreadSection = z.object({
  id: z.string(),
  name: z.string(),
  appearance: ThreadSectionAppearance.nullish(),
});

export const ThreadSectionListParams = z.object(cursorAndLimit);
export const ThreadSectionListResponse = z.object({ data: z.array(ThreadSection), nextCursor: z.string().nullable() });

export const ThreadSectionCreateParams = z.object({ name: wellFormedString(limits.threadName), appearance: ThreadSectionAppearance.nullish() });
export const ThreadSectionCreateResponse = z.object({ section: ThreadSection });

export const ThreadSectionUpdateParams = z.object({
  sectionId: z.string(),
  name: wellFormedString(limits.threadName),
  // Absent: kept; null: cleared.
  appearance: ThreadSectionAppearance.nullish(),
});
export const ThreadSectionUpdateResponse = z.object({ section: ThreadSection });

export const ThreadSectionDeleteParams = z.object({ sectionId: z.string() });
export const ThreadSectionDeleteResponse = emptyObject();

export const ThreadSectionMoveParams = z.object({ threadId: z.string(), sectionId: z.string().nullable(), beforeThreadId: z.string().nullish() });
export const ThreadSectionMoveResponse = emptyObject();

export const ThreadSectionChangedNotification = z.object({ threadId: z.string(), sectionId: z.string().nullable() });

export const ThreadAttachment = z.object({
  id: z.string(),
  attachmentType: z.string(),
  identityKey: z.string(),
  payload: JsonValue,
  createdAt: z.number().int(),
});
export const ThreadAttachmentAddOutcome = z.enum(['created', 'existing']);
export const ThreadAttachmentOperation = z.enum(['created', 'deleted']);

const attachmentKey = { attachmentType: wellFormedString(limits.identifier), identityKey: wellFormedString(limits.identifier) };

export const ThreadAttachmentAddParams = z.object({ threadId: z.string(), ...attachmentKey, payload: JsonValue });
export const ThreadAttachmentAddResponse = z.object({ outcome: ThreadAttachmentAddOutcome, attachment: ThreadAttachment });

export const ThreadAttachmentListParams = z.object({ threadId: z.string(), ...cursorAndLimit });
export const ThreadAttachmentListResponse = z.object({ data: z.array(ThreadAttachment), nextCursor: z.string().nullable() });

export const ThreadAttachmentRemoveParams = z.object({ threadId: z.string(), ...attachmentKey });
export const ThreadAttachmentRemoveResponse = emptyObject();

export const ThreadAttachmentOwner = z.object({ threadId: z.string(), archived: z.boolean() });
export const ThreadAttachmentOwnerListParams = z.object({ ...attachmentKey, archived: z.boolean().nullish(), ...cursorAndLimit });
export const ThreadAttachmentOwnerListResponse = z.object({ data: z.array(ThreadAttachmentOwner), nextCursor: z.string().nullable() });

export const ThreadAttachmentUpdatedNotification = z.object({
  threadId: z.string(),
  attachmentType: z.string(),
  identityKey: z.string(),
  attachmentId: z.string(),
  operation: ThreadAttachmentOperation,
});
