import { Module } from '@nestjs/common';
import { Accounts } from './accounts';
import { ApiTokens } from './api-tokens';
import { SecondFactor } from './second-factor';
import { SecurityLog } from './security-log';
import { StaffAccounts } from './staff-accounts';
import { StaffInvitations } from './staff-invitations';

@Module({
  providers: [ApiTokens, Accounts, SecurityLog, SecondFactor, StaffAccounts, StaffInvitations],
  exports: [ApiTokens, Accounts, SecurityLog, SecondFactor, StaffAccounts, StaffInvitations],
})
export class IdentityModule {}
