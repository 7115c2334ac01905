import { Controller, Get, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ApplicationFiles } from '@sg/applications';
import { Actor } from '@sg/domain';
import type { FastifyReply } from 'fastify';
import { CurrentActor } from '../http/actor';
import { UuidParam } from '../http/params';
import { sendStoredFile } from '../http/send-file';

@ApiTags('applications')
@ApiBearerAuth()
@Controller('api/v1/files')
export class FilesController {
  constructor(private readonly files: ApplicationFiles) {}

  /** A file's bytes, for those who may read its application (404 for anyone else). Always a download. */
  @Get(':fileId')
  async download(@CurrentActor() actor: Actor, @UuidParam('fileId') fileId: string, @Res() reply: FastifyReply) {
    await sendStoredFile(reply, await this.files.open(actor, fileId));
  }
}
