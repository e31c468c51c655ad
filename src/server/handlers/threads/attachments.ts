// thread/attachment/add|list|remove and thread/attachmentOwner/list over the store's attachments
// (engine/thread-organizer.ts). A thread has at most one attachment per (type, identity key): adding
// it again answers the one there (`existing`). Creations and removals are announced to every
// connection (`thread/attachment/updated`) once the answer is out.
import { uuidv7 } from '../../../engine/ids.js';
import type { AttachmentOwner, AttachmentRecord, ThreadOrganizer } from '../../../engine/thread-organizer.js';
import type { ThreadQueries } from '../../../engine/thread-queries.js';
import { DomainErrors } from '../../../kernel/errors.js';
import type { Handler } from '../../dispatch.js';
import { idPage } from './sections.js';

export interface AttachmentServices {
  organizer: ThreadOrganizer;
  queries: Pick<ThreadQueries, 'read'>;
  broadcast(method: string, params: unknown): void;
}

type AttachmentMethod = 'thread/attachment/add' | 'thread/attachment/list' | 'thread/attachment/remove' | 'thread/attachmentOwner/list';

const wireAttachment = (a: AttachmentRecord) => ({ id: a.id, attachmentType: a.attachmentType, identityKey: a.identityKey, payload: a.payload, createdAt: a.createdAt });

export function attachmentHandlers({ organizer, queries, broadcast }: AttachmentServices): { [M in AttachmentMethod]: Handler<M> } {
  const updated = (a: AttachmentRecord, operation: 'created' | 'deleted') =>
    broadcast('thread/attachment/updated', { threadId: a.threadId, attachmentType: a.attachmentType, identityKey: a.identityKey, attachmentId: a.id, operation });
  return {
    'thread/attachment/add': async (params, { afterResponse }) => {
      await queries.read(params.threadId);
      const { attachment, created } = await organizer.addAttachment({
        id: uuidv7(),
        threadId: params.threadId,
        attachmentType: params.attachmentType,
        identityKey: params.identityKey,
        payload: params.payload,
        createdAt: Math.floor(Date.now() / 1000),
      });
      if (created) afterResponse(() => updated(attachment, 'created'));
      return { outcome: created ? ('created' as const) : ('existing' as const), attachment: wireAttachment(attachment) };
    },
    'thread/attachment/list': async (params) => {
      await queries.read(params.threadId);
      const page = await idPage(params.cursor, `attachments:${params.threadId}`, params.limit, (a: AttachmentRecord) => a.id, (after, limit) => organizer.attachments(params.threadId, after, limit));
      return { data: page.data.map(wireAttachment), nextCursor: page.nextCursor };
    },
    'thread/attachment/remove': async (params, { afterResponse }) => {
      await queries.read(params.threadId);
      const attachment = await organizer.attachment(params.threadId, params.attachmentType, params.identityKey);
      if (attachment === null) throw DomainErrors.attachmentNotFound(params.threadId, params.attachmentType, params.identityKey);
      await organizer.removeAttachment(attachment.id);
      afterResponse(() => updated(attachment, 'deleted'));
      return {};
    },
    'thread/attachmentOwner/list': async (params) => {
      const { attachmentType, identityKey } = params;
      const archived = params.archived ?? null;
      return idPage(params.cursor, `attachmentOwners:${attachmentType}:${identityKey}`, params.limit, (o: AttachmentOwner) => o.threadId, (after, limit) =>
        organizer.owners(attachmentType, identityKey, archived, after, limit),
      );
    },
  };
}
