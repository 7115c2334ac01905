import { Body, Controller, Get, HttpCode, Ip, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Actor } from '@sg/domain';
import { StaffAccounts } from '@sg/identity';
import { CurrentActor } from '../http/actor';
import { ApiProblems } from '../http/api-problems';
import { UuidParam } from '../http/params';
import { ref } from '../http/schema-helpers';
import { CreateStaffUserDto, DisableStaffUserDto, UpdateStaffUserDto } from './user.dto';

@ApiTags('users')
@ApiBearerAuth()
@ApiProblems(401)
@Controller('api/v1/users')
export class UsersController {
  constructor(private readonly staff: StaffAccounts) {}

  /** Every staff account (administrators only), active ones first, with role, partner organisation and last sign-in. */
  @Get()
  @ApiOkResponse({ schema: ref('StaffUserList') })
  @ApiProblems({ 403: 'Only administrators manage staff accounts' })
  async list(@CurrentActor() actor: Actor) {
    return { items: await this.staff.list(actor) };
  }

  /**
   * Create a staff account (administrators only): officer, partner officer, panel member, funder
   * viewer or admin. The person is emailed a link to choose their password. Applicants register
   * themselves in the portal.
   */
  @Post()
  @HttpCode(201)
  @ApiCreatedResponse({ schema: ref('CreatedUser') })
  @ApiProblems(400, {
    403: 'Only administrators create staff accounts',
    409: 'An account with this email exists',
    422: 'No VDA or funder with this slug',
  })
  create(@CurrentActor() actor: Actor, @Body() body: CreateStaffUserDto, @Ip() ip: string) {
    return this.staff.invite(actor, body, ip);
  }

  /**
   * Change a staff account's role and partner organisation (administrators only). Nobody takes
   * administration away from themselves or from the last active administrator.
   */
  @Patch(':id')
  @ApiOkResponse({ schema: ref('StaffUser') })
  @ApiProblems(400, {
    403: 'Only administrators manage staff accounts',
    404: 'No staff account with this id',
    409: 'It would take administration from the caller or from the last active administrator',
    422: 'No VDA or funder with this slug',
  })
  update(
    @CurrentActor() actor: Actor,
    @UuidParam('id') id: string,
    @Body() body: UpdateStaffUserDto,
    @Ip() ip: string,
  ) {
    return this.staff.change(actor, id, body, ip);
  }

  /**
   * Disable a staff account (administrators only): its sessions end at once, its API tokens answer
   * 401 and it cannot sign in. Disabling a disabled account changes nothing.
   */
  @Post(':id/disable')
  @HttpCode(200)
  @ApiOkResponse({ schema: ref('StaffUser') })
  @ApiProblems(400, {
    403: 'Only administrators manage staff accounts',
    404: 'No staff account with this id',
    409: 'The caller’s own account, or the last active administrator',
  })
  disable(
    @CurrentActor() actor: Actor,
    @UuidParam('id') id: string,
    @Body() body: DisableStaffUserDto,
    @Ip() ip: string,
  ) {
    return this.staff.disable(actor, id, body.reason, ip);
  }

  /** Re-enable a disabled staff account (administrators only): the person signs in again with their password. */
  @Post(':id/enable')
  @HttpCode(200)
  @ApiOkResponse({ schema: ref('StaffUser') })
  @ApiProblems({ 403: 'Only administrators manage staff accounts', 404: 'No staff account with this id' })
  enable(@CurrentActor() actor: Actor, @UuidParam('id') id: string, @Ip() ip: string) {
    return this.staff.enable(actor, id, ip);
  }

  /**
   * Reset a staff member's second factor (administrators only; not their own) after a lost phone and
   * lost recovery codes: they are signed out, their tokens revoked, and they set up a new app at
   * their next sign-in.
   */
  @Post(':id/second-factor/reset')
  @HttpCode(200)
  @ApiOkResponse({ schema: ref('StaffUser') })
  @ApiProblems({
    403: 'Only administrators manage staff accounts',
    404: 'No staff account with this id',
    409: 'The caller’s own account, or an account with no second factor',
  })
  resetSecondFactor(@CurrentActor() actor: Actor, @UuidParam('id') id: string, @Ip() ip: string) {
    return this.staff.resetSecondFactor(actor, id, ip);
  }
}
