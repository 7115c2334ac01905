import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AppConfig } from '@sg/config';
import { Actor, can, detectDocumentType, findQuestion, MAX_FILE_BYTES, UseCaseError } from '@sg/domain';
import { ApplicationFileEntity } from '@sg/persistence';
import { DataSource } from 'typeorm';
import { ApplicationAccess } from '../application-access';
import { ApplicationFilesStore } from './application-files.store';

export interface FileView {
  id: string;
  questionId: string;
  name: string;
  contentType: string;
  sizeBytes: number;
  uploadedAt: string;
}

/**
 * Files given as answers (a safeguarding policy, say). The bytes go to a folder outside the
 * database under a random key; the row keeps the name, type and hash. A file is read through its
 * application only, so whoever cannot see the application gets 404 for the file too.
 */
@Injectable()
export class ApplicationFiles {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: ApplicationAccess,
    private readonly config: AppConfig,
    private readonly store: ApplicationFilesStore,
  ) {}

  /** Stores the file and makes it the question's answer, in one step. */
  async upload(
    actor: Actor,
    applicationId: string,
    questionId: string,
    file: { name: string; bytes: Buffer; truncated?: boolean },
  ): Promise<FileView> {
    const field = (message: string) =>
      new UseCaseError('invalid', 'validation_failed', message, [{ field: `answers.${questionId}`, message }]);
    const key = randomUUID();
    const path = this.pathFor(key);
    let stored = false;
    try {
      return await this.dataSource.transaction(async (m) => {
        const app = await this.access.loadVisible(m, actor, applicationId, true);
        if (!can(actor.role, 'apply-for-organisation'))
          throw new UseCaseError('forbidden', 'role_not_permitted', 'Only the applicant uploads files');
        if (app.state !== 'draft')
          throw new UseCaseError(
            'conflict',
            'not_a_draft',
            `The application is ${app.state}; files can be added to drafts only`,
          );
        const form = app.formKey ? await this.store.formDefinition(m, app.formKey, app.formVersion) : undefined;
        const question = form ? findQuestion(form, questionId) : undefined;
        if (!question || question.type !== 'file') throw field('This question does not take a file');
        if (file.truncated || file.bytes.length > MAX_FILE_BYTES) throw field('The file must be 10 MB or smaller');
        if (file.bytes.length === 0) throw field('The selected file is empty');
        const type = detectDocumentType(file.bytes);
        if (!type) throw field('The file must be a PDF, Word (DOCX) or OpenDocument (ODT) document');
        const name = safeName(file.name, type.extension);
        await mkdir(dirname(path), { recursive: true });
        await writeFile(`${path}.part`, file.bytes, { flag: 'wx' });
        await rename(`${path}.part`, path);
        stored = true;
        const row = await this.store.insert(m, {
          applicationId: app.id,
          questionId,
          originalName: name,
          contentType: type.contentType,
          sizeBytes: file.bytes.length,
          sha256: createHash('sha256').update(file.bytes).digest('hex'),
          storageKey: key,
          uploadedBy: actor.userId,
        });
        await this.store.setAnswer(m, app.id, questionId, row.id);
        return {
          id: row.id,
          questionId,
          name,
          contentType: type.contentType,
          sizeBytes: file.bytes.length,
          uploadedAt: new Date(row.created_at).toISOString(),
        };
      });
    } catch (err) {
      // The row never committed, so the bytes must not stay behind either.
      if (stored) await rm(path, { force: true });
      await rm(`${path}.part`, { force: true });
      throw err;
    }
  }

  async list(actor: Actor, applicationId: string): Promise<FileView[]> {
    await this.access.loadVisible(this.dataSource.manager, actor, applicationId);
    const rows = await this.dataSource
      .getRepository(ApplicationFileEntity)
      .find({ where: { applicationId }, order: { createdAt: 'ASC' } });
    return rows.map(view);
  }

  /** The file's bytes for someone who may read its application; 404 for anyone else. */
  async open(actor: Actor, fileId: string): Promise<{ file: FileView; stream: Readable }> {
    const row = await this.dataSource.getRepository(ApplicationFileEntity).findOneBy({ id: fileId });
    if (!row) throw UseCaseError.notFound('The file');
    try {
      await this.access.loadVisible(this.dataSource.manager, actor, row.applicationId);
    } catch (err) {
      if (err instanceof UseCaseError && err.kind === 'not_found') throw UseCaseError.notFound('The file');
      throw err;
    }
    return { file: view(row), stream: createReadStream(this.pathFor(row.storageKey)) };
  }

  private pathFor(key: string): string {
    const root = isAbsolute(this.config.FILE_STORAGE_DIR)
      ? this.config.FILE_STORAGE_DIR
      : join(process.cwd(), this.config.FILE_STORAGE_DIR);
    return join(root, key.slice(0, 2), key);
  }
}

function view(r: ApplicationFileEntity): FileView {
  return {
    id: r.id,
    questionId: r.questionId,
    name: r.originalName,
    contentType: r.contentType,
    sizeBytes: r.sizeBytes,
    uploadedAt: r.createdAt.toISOString(),
  };
}

/** A name safe to show and to send back in Content-Disposition, with the extension its bytes deserve. */
function safeName(name: string, extension: string): string {
  const base = name
    .replace(/^.*[\\/]/, '')
    .replace(/\.[^.]*$/, '')
    .replace(/[^\p{L}\p{N} ._()-]+/gu, '_')
    .trim()
    .slice(0, 100);
  return `${base || 'document'}.${extension}`;
}
