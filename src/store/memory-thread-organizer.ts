// Sections and attachments (engine/thread-organizer.ts) in memory, for the in-process harness: the
// same answers and order as the SQL tables (sql-thread-organizer.ts). Owners are read against the
// memory log's stored threads, as the SQL store joins `threads`.
import type { AttachmentOwner, AttachmentRecord, SectionAppearance, SectionRecord } from '../core/organizer-records.js';
import type { MemoryTables } from './memory-thread-log.js';

/** What the memory store keeps of migration 6's tables (values as JSON copies, as SQL would). */
export interface OrganizerTables {
  sections: Map<string, SectionRecord>;
  /** Thread id → its section and place. */
  members: Map<string, { sectionId: string; position: number }>;
  attachments: Map<string, AttachmentRecord>;
}

export function organizerTables(): OrganizerTables {
  return { sections: new Map(), members: new Map(), attachments: new Map() };
}

const byId = <T extends { id: string }>(a: T, b: T) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

export class MemoryThreadOrganizer {
  constructor(
    private readonly tables: OrganizerTables,
    /** The memory log's threads: whether one is stored, and archived. */
    private readonly threads: MemoryTables['threads'],
  ) {}

  sections(after: string | null, limit: number): Promise<SectionRecord[]> {
    const all = [...this.tables.sections.values()].filter((s) => after === null || s.id > after).sort(byId);
    return Promise.resolve(all.slice(0, limit).map(copy));
  }

  addSection(section: SectionRecord): Promise<void> {
    this.tables.sections.set(section.id, copy(section));
    return Promise.resolve();
  }

  updateSection(id: string, name: string, appearance: SectionAppearance | null | undefined): Promise<SectionRecord | null> {
    const current = this.tables.sections.get(id);
    if (current === undefined) return Promise.resolve(null);
    const next = { ...current, name, ...(appearance !== undefined && { appearance: copy(appearance) }) };
    this.tables.sections.set(id, next);
    return Promise.resolve(copy(next));
  }

  async deleteSection(id: string): Promise<string[] | null> {
    if (!this.tables.sections.has(id)) return null;
    const members = await this.members(id);
    for (const threadId of members) this.tables.members.delete(threadId);
    this.tables.sections.delete(id);
    return members;
  }

  hasSection(id: string): Promise<boolean> {
    return Promise.resolve(this.tables.sections.has(id));
  }

  sectionOf(threadId: string): Promise<string | null> {
    return Promise.resolve(this.tables.members.get(threadId)?.sectionId ?? null);
  }

  members(sectionId: string): Promise<string[]> {
    const rows = [...this.tables.members.entries()].filter(([, m]) => m.sectionId === sectionId);
    rows.sort(([a, ma], [b, mb]) => ma.position - mb.position || (a < b ? -1 : a > b ? 1 : 0));
    return Promise.resolve(rows.map(([threadId]) => threadId));
  }

  place(threadId: string, sectionId: string | null, order: readonly string[]): Promise<void> {
    this.tables.members.delete(threadId);
    if (sectionId !== null) order.forEach((id, position) => this.tables.members.set(id, { sectionId, position }));
    return Promise.resolve();
  }

  attachment(threadId: string, attachmentType: string, identityKey: string): Promise<AttachmentRecord | null> {
    const found = [...this.tables.attachments.values()].find((a) => a.threadId === threadId && a.attachmentType === attachmentType && a.identityKey === identityKey);
    return Promise.resolve(found === undefined ? null : copy(found));
  }

  async addAttachment(attachment: AttachmentRecord): Promise<{ attachment: AttachmentRecord; created: boolean }> {
    const existing = await this.attachment(attachment.threadId, attachment.attachmentType, attachment.identityKey);
    if (existing !== null) return { attachment: existing, created: false };
    this.tables.attachments.set(attachment.id, copy(attachment));
    return { attachment: copy(attachment), created: true };
  }

  attachments(threadId: string, after: string | null, limit: number): Promise<AttachmentRecord[]> {
    const all = [...this.tables.attachments.values()].filter((a) => a.threadId === threadId && (after === null || a.id > after)).sort(byId);
    return Promise.resolve(all.slice(0, limit).map(copy));
  }

  removeAttachment(id: string): Promise<void> {
    this.tables.attachments.delete(id);
    return Promise.resolve();
  }

  forgetThread(threadId: string): Promise<void> {
    this.tables.members.delete(threadId);
    for (const [id, a] of this.tables.attachments) if (a.threadId === threadId) this.tables.attachments.delete(id);
    return Promise.resolve();
  }

  owners(attachmentType: string, identityKey: string, archived: boolean | null, after: string | null, limit: number): Promise<AttachmentOwner[]> {
    const owners: AttachmentOwner[] = [];
    for (const a of this.tables.attachments.values()) {
      if (a.attachmentType !== attachmentType || a.identityKey !== identityKey) continue;
      const stored = this.threads.get(a.threadId);
      if (stored === undefined || (after !== null && a.threadId <= after)) continue;
      if (archived !== null && stored.row.archived !== archived) continue;
      owners.push({ threadId: a.threadId, archived: stored.row.archived });
    }
    owners.sort((x, y) => (x.threadId < y.threadId ? -1 : x.threadId > y.threadId ? 1 : 0));
    return Promise.resolve(owners.slice(0, limit));
  }
}
