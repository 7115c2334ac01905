import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { FormDefinition } from '@sg/domain';

/** A published form version; immutable (setup refuses a changed definition under the same version). */
@Entity('application_forms')
export class ApplicationFormEntity {
  @PrimaryColumn('text') key: string;
  @PrimaryColumn('integer') version: number;
  @Column('text') title: string;
  @Column('jsonb') definition: FormDefinition;
  @Column('text', { name: 'content_sha256' }) contentSha256: string;
}

/** A file uploaded as an answer; the bytes live in file storage under `storageKey`, never in the row. */
@Entity('application_files')
export class ApplicationFileEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'application_id' }) applicationId: string;
  @Column('text', { name: 'question_id' }) questionId: string;
  @Column('text', { name: 'original_name' }) originalName: string;
  @Column('text', { name: 'content_type' }) contentType: string;
  @Column('integer', { name: 'size_bytes' }) sizeBytes: number;
  @Column('text') sha256: string;
  @Column('text', { name: 'storage_key' }) storageKey: string;
  @Column('uuid', { name: 'uploaded_by' }) uploadedBy: string;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
}
