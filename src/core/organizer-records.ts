// The records of what the store keeps beside the threads' logs for clients to organise them
// (sections, attachments): shared by the engine's ThreadOrganizer interface and the stores that
// satisfy it, which never import the engine.
import type { JsonValue } from './events.js';

export interface SectionAppearance {
  color?: string | null;
  icon?: string | null;
}

export interface SectionRecord {
  id: string;
  name: string;
  appearance: SectionAppearance | null;
  createdAt: number;
}

export interface AttachmentRecord {
  id: string;
  threadId: string;
  attachmentType: string;
  identityKey: string;
  payload: JsonValue;
  /** Unix seconds, as Codex's ThreadAttachment.createdAt. */
  createdAt: number;
}

export interface AttachmentOwner {
  threadId: string;
  archived: boolean;
}
