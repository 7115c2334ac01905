import { Body, Controller, Delete, Get, Put, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor } from '@sg/domain';
import { Accounts, ApiTokens } from '@sg/identity';
import type { FastifyRequest } from 'fastify';
import { IsBoolean, IsOptional } from 'class-validator';
import { CurrentActor } from '../http/actor';
import { ApiProblems } from '../http/api-problems';
import { UuidParam } from '../http/params';
import { itemsOf, ref } from '../http/schema-helpers';

export class NotificationPreferencesDto {
  /** Optional reminders (report due soon, report due today, the fund closing with a draft open). Mandatory emails always go. */
  @IsOptional() @IsBoolean() optionalReminders?: boolean;
  /** Staff only: one email a day listing what happened, instead of one email per event. */
  @IsOptional() @IsBoolean() dailyDigest?: boolean;
}

@ApiTags('users')
@ApiBearerAuth()
@ApiProblems(401)
@Controller('api/v1/me')
export class MeController {
  constructor(
    private readonly accounts: Accounts,
    private readonly tokens: ApiTokens,
  ) {}

  @Get('notification-preferences')
  @ApiOperation({ summary: 'Which emails the caller receives: optional reminders, and (staff) a daily digest' })
  @ApiOkResponse({ schema: ref('NotificationPreferences') })
  preferences(@CurrentActor() actor: Actor) {
    return this.accounts.notificationPreferences(actor);
  }

  @Put('notification-preferences')
  @ApiOperation({
    summary: 'Switch optional reminders on or off; staff may choose a daily digest (422 for applicants)',
  })
  @ApiOkResponse({ schema: ref('NotificationPreferences') })
  @ApiProblems(400, { 422: 'Applicants cannot choose a daily digest' })
  setPreferences(@CurrentActor() actor: Actor, @Body() body: NotificationPreferencesDto) {
    return this.accounts.setNotificationPreferences(actor, body);
  }

  @Get('tokens')
  @ApiOperation({
    summary: 'The caller’s live API tokens (name, created, expires, last used), never the secret; mint one on /account',
  })
  @ApiOkResponse({ schema: itemsOf(ref('ApiToken')) })
  async listTokens(@CurrentActor() actor: Actor) {
    return { items: await this.tokens.list(actor) };
  }

  @Delete('tokens/:id')
  @ApiOperation({ summary: 'Revoke one of the caller’s API tokens (the one in use too); another person’s is 404' })
  @ApiOkResponse({
    schema: ref('RevokedApiToken'),
    description: 'Revoked (or already revoked): the token answers 401 from now on',
  })
  @ApiProblems(404)
  revokeToken(@CurrentActor() actor: Actor, @UuidParam('id') id: string, @Req() req: FastifyRequest) {
    return this.tokens.revoke(actor, id, req.ip);
  }
}
