import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Actor, can, UseCaseError } from '@sg/domain';
import { DataSource } from 'typeorm';
import { ApplicationAccess } from '../application-access';
import { InternalNotesStore } from './internal-notes.store';

export interface NoteView {
  id: number;
  body: string;
  author: { userId: string; displayName: string };
  at: string;
}

/**
 * Officers' internal notes on an application. Applicants never see them: for an applicant (or
 * anyone else without an officer's view of the application) they do not exist.
 */
@Injectable()
export class InternalNotes {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: ApplicationAccess,
    private readonly store: InternalNotesStore,
  ) {}

  async list(actor: Actor, applicationId: string): Promise<NoteView[]> {
    await this.requireStaffView(actor, applicationId);
    const rows = await this.store.notesOf(applicationId);
    return rows.map((r) => ({
      id: Number(r.id),
      body: r.body,
      author: { userId: r.author_user_id, displayName: r.display_name },
      at: new Date(r.created_at).toISOString(),
    }));
  }

  async add(actor: Actor, applicationId: string, body: string): Promise<NoteView> {
    await this.requireStaffView(actor, applicationId);
    if (!can(actor.role, 'write-internal-notes'))
      throw new UseCaseError('forbidden', 'role_not_permitted', 'Panel members read notes; officers write them');
    const text = body.trim();
    if (text === '' || text.length > 5000)
      throw new UseCaseError('invalid', 'validation_failed', 'A note is 1 to 5,000 characters', [
        { field: 'body', message: 'Write a note of up to 5,000 characters' },
      ]);
    const id = await this.store.insert(applicationId, actor.userId, text);
    return (await this.list(actor, applicationId)).find((n) => n.id === id)!;
  }

  private async requireStaffView(actor: Actor, applicationId: string): Promise<void> {
    await this.access.loadVisible(this.dataSource.manager, actor, applicationId);
    if (!can(actor.role, 'read-internal-notes')) throw UseCaseError.notFound('The notes');
  }
}
