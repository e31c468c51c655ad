// Sections and attachments (engine/thread-organizer.ts) in the tables of migration 6, written once
// in kysely for SQLite and PostgreSQL. Each change is one statement or a few idempotent ones (no
// transaction: the SQLite connection is shared with the synchronous event log, which must not find
// itself inside someone else's open transaction). Ids compare by bytes on both dialects.
import { sql, type Kysely } from 'kysely';
import type { AttachmentOwner, AttachmentRecord, SectionAppearance, SectionRecord } from '../core/organizer-records.js';
import type { JsonValue } from '../protocol/schemas/common.js';
import type { AttachmentRow, SectionRow, Tables } from './tables.js';

export class SqlThreadOrganizer {
  constructor(
    private readonly db: Kysely<Tables>,
    private readonly dialect: 'sqlite' | 'postgres',
    /** Turns a driver's failure into Keel's words (store-errors.ts, pg-errors.ts). */
    private readonly inWords: <T>(work: () => Promise<T>) => Promise<T>,
  ) {}

  private get byBytes() {
    return this.dialect === 'postgres' ? sql`collate "C"` : sql``;
  }

  sections(after: string | null, limit: number): Promise<SectionRecord[]> {
    return this.inWords(async () => {
      const rows = await this.db
        .selectFrom('thread_sections')
        .selectAll()
        .$if(after !== null, (q) => q.where(sql<boolean>`id ${this.byBytes} > ${after}`))
        .orderBy(sql`id ${this.byBytes}`)
        .limit(limit)
        .execute();
      return rows.map(sectionOf);
    });
  }

  addSection(section: SectionRecord): Promise<void> {
    return this.inWords(async () => {
      await this.db.insertInto('thread_sections').values(sectionRow(section)).execute();
    });
  }

  updateSection(id: string, name: string, appearance: SectionAppearance | null | undefined): Promise<SectionRecord | null> {
    return this.inWords(async () => {
      const set = appearance === undefined ? { name } : { name, appearance: appearance === null ? null : JSON.stringify(appearance) };
      await this.db.updateTable('thread_sections').set(set).where('id', '=', id).execute();
      const row = await this.db.selectFrom('thread_sections').selectAll().where('id', '=', id).executeTakeFirst();
      return row === undefined ? null : sectionOf(row);
    });
  }

  deleteSection(id: string): Promise<string[] | null> {
    return this.inWords(async () => {
      if (!(await this.hasSectionNow(id))) return null;
      const members = await this.membersNow(id);
      await this.db.deleteFrom('thread_section_members').where('section_id', '=', id).execute();
      await this.db.deleteFrom('thread_sections').where('id', '=', id).execute();
      return members;
    });
  }

  hasSection(id: string): Promise<boolean> {
    return this.inWords(() => this.hasSectionNow(id));
  }

  sectionOf(threadId: string): Promise<string | null> {
    return this.inWords(async () => {
      const row = await this.db.selectFrom('thread_section_members').select('section_id').where('thread_id', '=', threadId).executeTakeFirst();
      return row?.section_id ?? null;
    });
  }

  members(sectionId: string): Promise<string[]> {
    return this.inWords(() => this.membersNow(sectionId));
  }

  place(threadId: string, sectionId: string | null, order: readonly string[]): Promise<void> {
    return this.inWords(async () => {
      await this.db.deleteFrom('thread_section_members').where('thread_id', '=', threadId).execute();
      if (sectionId === null) return;
      const rows = order.map((id, position) => ({ thread_id: id, section_id: sectionId, position }));
      if (rows.length === 0) return;
      await this.db
        .insertInto('thread_section_members')
        .values(rows)
        .onConflict((c) => c.column('thread_id').doUpdateSet({ section_id: (eb) => eb.ref('excluded.section_id'), position: (eb) => eb.ref('excluded.position') }))
        .execute();
    });
  }

  attachment(threadId: string, attachmentType: string, identityKey: string): Promise<AttachmentRecord | null> {
    return this.inWords(() => this.attachmentNow(threadId, attachmentType, identityKey));
  }

  addAttachment(attachment: AttachmentRecord): Promise<{ attachment: AttachmentRecord; created: boolean }> {
    return this.inWords(async () => {
      const inserted = await this.db
        .insertInto('thread_attachments')
        .values(attachmentRow(attachment))
        .onConflict((c) => c.columns(['thread_id', 'attachment_type', 'identity_key']).doNothing())
        .executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) > 0) return { attachment, created: true };
      const existing = await this.attachmentNow(attachment.threadId, attachment.attachmentType, attachment.identityKey);
      return { attachment: existing ?? attachment, created: existing === null };
    });
  }

  attachments(threadId: string, after: string | null, limit: number): Promise<AttachmentRecord[]> {
    return this.inWords(async () => {
      const rows = await this.db
        .selectFrom('thread_attachments')
        .selectAll()
        .where('thread_id', '=', threadId)
        .$if(after !== null, (q) => q.where(sql<boolean>`id ${this.byBytes} > ${after}`))
        .orderBy(sql`id ${this.byBytes}`)
        .limit(limit)
        .execute();
      return rows.map(attachmentOf);
    });
  }

  removeAttachment(id: string): Promise<void> {
    return this.inWords(async () => {
      await this.db.deleteFrom('thread_attachments').where('id', '=', id).execute();
    });
  }

  forgetThread(threadId: string): Promise<void> {
    return this.inWords(async () => {
      await this.db.deleteFrom('thread_section_members').where('thread_id', '=', threadId).execute();
      await this.db.deleteFrom('thread_attachments').where('thread_id', '=', threadId).execute();
    });
  }

  owners(attachmentType: string, identityKey: string, archived: boolean | null, after: string | null, limit: number): Promise<AttachmentOwner[]> {
    return this.inWords(async () => {
      const rows = await this.db
        .selectFrom('thread_attachments as a')
        .innerJoin('threads as t', 't.id', 'a.thread_id')
        .select(['a.thread_id as threadId', 't.archived as archived'])
        .where('a.attachment_type', '=', attachmentType)
        .where('a.identity_key', '=', identityKey)
        .$if(archived !== null, (q) => q.where('t.archived', '=', archived ? 1 : 0))
        .$if(after !== null, (q) => q.where(sql<boolean>`a.thread_id ${this.byBytes} > ${after}`))
        .orderBy(sql`a.thread_id ${this.byBytes}`)
        .limit(limit)
        .execute();
      return rows.map((row) => ({ threadId: row.threadId, archived: Number(row.archived) === 1 }));
    });
  }

  private async hasSectionNow(id: string): Promise<boolean> {
    return (await this.db.selectFrom('thread_sections').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
  }

  private async membersNow(sectionId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('thread_section_members')
      .select('thread_id')
      .where('section_id', '=', sectionId)
      .orderBy('position')
      .orderBy(sql`thread_id ${this.byBytes}`)
      .execute();
    return rows.map((row) => row.thread_id);
  }

  private async attachmentNow(threadId: string, attachmentType: string, identityKey: string): Promise<AttachmentRecord | null> {
    const row = await this.db
      .selectFrom('thread_attachments')
      .selectAll()
      .where('thread_id', '=', threadId)
      .where('attachment_type', '=', attachmentType)
      .where('identity_key', '=', identityKey)
      .executeTakeFirst();
    return row === undefined ? null : attachmentOf(row);
  }
}

function sectionRow(section: SectionRecord): SectionRow {
  return { id: section.id, name: section.name, appearance: section.appearance === null ? null : JSON.stringify(section.appearance), created_at: section.createdAt };
}

function sectionOf(row: SectionRow): SectionRecord {
  return { id: row.id, name: row.name, appearance: row.appearance === null ? null : (JSON.parse(row.appearance) as SectionAppearance), createdAt: Number(row.created_at) };
}

function attachmentRow(attachment: AttachmentRecord): AttachmentRow {
  return {
    id: attachment.id,
    thread_id: attachment.threadId,
    attachment_type: attachment.attachmentType,
    identity_key: attachment.identityKey,
    payload: JSON.stringify(attachment.payload),
    created_at: attachment.createdAt,
  };
}

function attachmentOf(row: AttachmentRow): AttachmentRecord {
  return {
    id: row.id,
    threadId: row.thread_id,
    attachmentType: row.attachment_type,
    identityKey: row.identity_key,
    payload: JSON.parse(row.payload) as JsonValue,
    createdAt: Number(row.created_at),
  };
}
