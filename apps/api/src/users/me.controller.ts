import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor } from '@sg/domain';
import { Accounts } from '@sg/identity';
import { IsBoolean, IsOptional } from 'class-validator';
import { CurrentActor } from '../http/actor';
import { ApiProblems } from '../http/api-problems';
import { ref } from '../http/schema-helpers';

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
  constructor(private readonly accounts: Accounts) {}

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
}
