import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Actor } from '@sg/domain';
import { Accounts } from '@sg/identity';
import { CurrentActor } from '../http/actor';
import { CreateStaffUserDto } from './user.dto';

@ApiTags('users')
@ApiBearerAuth()
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
  create(@CurrentActor() actor: Actor, @Body() body: CreateStaffUserDto) {
    return this.accounts.createStaffUser(actor, body);
  }
}
