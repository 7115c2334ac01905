import { Controller, Get, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApplicationFiles } from '@sg/applications';
import { Actor } from '@sg/domain';
import type { FastifyReply } from 'fastify';
import { CurrentActor } from '../http/actor';
import { ApiProblems } from '../http/api-problems';
import { binary } from '../http/schema-helpers';
import { UuidParam } from '../http/params';
import { sendStoredFile } from '../http/send-file';

@ApiTags('applications')
@ApiBearerAuth()
@ApiProblems(401)
@Controller('api/v1/files')
export class FilesController {
  constructor(private readonly files: ApplicationFiles) {}

  /** A file's bytes, for those who may read its application (404 for anyone else). Always a download. */
  @Get(':fileId')
  @ApiOkResponse({
    description: 'The file, as an attachment, in the type it was checked to be',
    content: {
      ...binary('application/pdf'),
      ...binary('application/vnd.openxmlformats-officedocument.wordprocessingml.document'),
      ...binary('application/vnd.oasis.opendocument.text'),
    },
  })
  @ApiProblems({ 404: 'No such file, or one the caller may not read' })
  async download(@CurrentActor() actor: Actor, @UuidParam('fileId') fileId: string, @Res() reply: FastifyReply) {
    await sendStoredFile(reply, await this.files.open(actor, fileId));
  }
}
