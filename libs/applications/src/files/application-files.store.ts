import { Injectable } from '@nestjs/common';
import { FormDefinition } from '@sg/domain';
import { EntityManager } from 'typeorm';
import { formDefinition } from '../forms/application-forms.store';

export interface NewFile {
  applicationId: string;
  questionId: string;
  originalName: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  storageKey: string;
  uploadedBy: string;
}

/** Files given as answers: their rows, and the answers that point at them. */
@Injectable()
export class ApplicationFilesStore {
  /** The definition of a form version, if it exists. */
  formDefinition(m: EntityManager, formKey: string, formVersion: number | null): Promise<FormDefinition | undefined> {
    return formDefinition(m, formKey, formVersion);
  }

  /** Records a stored file; returns its id and when it was recorded. */
  async insert(m: EntityManager, f: NewFile): Promise<{ id: string; created_at: Date }> {
    const [row] = await m.query(
      `INSERT INTO application_files (application_id, question_id, original_name, content_type, size_bytes, sha256, storage_key, uploaded_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id, created_at`,
      [f.applicationId, f.questionId, f.originalName, f.contentType, f.sizeBytes, f.sha256, f.storageKey, f.uploadedBy],
    );
    return row;
  }

  /** Makes the file the question's answer (a new version of the application). */
  async setAnswer(m: EntityManager, applicationId: string, questionId: string, fileId: string): Promise<void> {
    await m.query(
      `UPDATE applications SET answers = jsonb_set(answers, $2, to_jsonb($3::text)), version = version + 1, updated_at = now() WHERE id = $1`,
      [applicationId, [questionId], fileId],
    );
  }
}
