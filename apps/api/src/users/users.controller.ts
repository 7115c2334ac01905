import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { Actor } from '@sg/domain';
import { Accounts } from '@sg/identity';
import { CurrentActor } from '../http/actor';
import { ApiProblems } from '../http/api-problems';
import { ref } from '../http/schema-helpers';
import { CreateStaffUserDto } from './user.dto';

@ApiTags('users')
@ApiBearerAuth()
@ApiProblems(401)
@Controller('api/v1/users')
export class UsersController {
  constructor(private readonly accounts: Accounts) {}

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
  create(@CurrentActor() actor: Actor, @Body() body: CreateStaffUserDto) {
    return this.accounts.createStaffUser(actor, body);
  }
}
