// The engine's view of what the store keeps beside the threads' logs for clients to organise
// them: sections (named groups of threads, each thread in at most one, ordered within it) and
// attachments (a client's records kept with a thread, one per type and identity key). SQLite and
// PostgreSQL share one kysely implementation (store/sql-thread-organizer.ts); the in-process harness
// uses store/memory-thread-organizer.ts; they satisfy this interface structurally (the store never
// imports the engine) and share its records through core/organizer-records.ts. Both keep the same
// order: sections and attachments by id (UUIDv7: creation order), a section's threads by position,
// owners by thread id.
import type { AttachmentOwner, AttachmentRecord, SectionAppearance, SectionRecord } from '../core/organizer-records.js';

export type { AttachmentOwner, AttachmentRecord, SectionAppearance, SectionRecord };

export interface ThreadOrganizer {
  /** Sections after the one with id `after` (null: from the first), at most `limit`. */
  sections(after: string | null, limit: number): Promise<SectionRecord[]>;
  addSection(section: SectionRecord): Promise<void>;
  /** Renamed; `appearance` undefined keeps it. Null when there is no such section. */
  updateSection(id: string, name: string, appearance: SectionAppearance | null | undefined): Promise<SectionRecord | null>;
  /** Deletes it; its threads leave it. The ids of those threads, or null when there was no such section. */
  deleteSection(id: string): Promise<string[] | null>;
  hasSection(id: string): Promise<boolean>;
  /** The section the thread is in, or null. */
  sectionOf(threadId: string): Promise<string | null>;
  /** The section's threads in order. */
  members(sectionId: string): Promise<string[]>;
  /** Puts the thread in the section at that place in `order` (the section's threads, it included), or out of any section (null). */
  place(threadId: string, sectionId: string | null, order: readonly string[]): Promise<void>;
  /** The thread's attachment of that type and key, if any. */
  attachment(threadId: string, attachmentType: string, identityKey: string): Promise<AttachmentRecord | null>;
  /** Adds it unless the thread has one of its type and key: then that one, and `created` false. */
  addAttachment(attachment: AttachmentRecord): Promise<{ attachment: AttachmentRecord; created: boolean }>;
  attachments(threadId: string, after: string | null, limit: number): Promise<AttachmentRecord[]>;
  removeAttachment(id: string): Promise<void>;
  /** Forgets a deleted thread: its place in a section and its attachments. */
  forgetThread(threadId: string): Promise<void>;
  /** The stored threads with an attachment of that type and key, by thread id after `after`; `archived` null: either. */
  owners(attachmentType: string, identityKey: string, archived: boolean | null, after: string | null, limit: number): Promise<AttachmentOwner[]>;
}
