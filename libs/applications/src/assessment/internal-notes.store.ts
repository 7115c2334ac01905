import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

export interface NoteRow {
  id: string;
  body: string;
  author_user_id: string;
  display_name: string;
  created_at: Date;
}

/** Officers' internal notes on applications, with their authors' names. */
@Injectable()
export class InternalNotesStore {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The application's notes, oldest first. */
  notesOf(applicationId: string): Promise<NoteRow[]> {
    return this.dataSource.query(
      `SELECT n.id, n.body, n.author_user_id, u.display_name, n.created_at FROM internal_notes n JOIN users u ON u.id = n.author_user_id
       WHERE n.application_id = $1 ORDER BY n.id`,
      [applicationId],
    );
  }

  /** Writes a note and returns its id. */
  async insert(applicationId: string, authorUserId: string, body: string): Promise<number> {
    const [row] = await this.dataSource.query(
      'INSERT INTO internal_notes (application_id, author_user_id, body) VALUES ($1, $2, $3) RETURNING id',
      [applicationId, authorUserId, body],
    );
    return Number(row.id);
  }
}
