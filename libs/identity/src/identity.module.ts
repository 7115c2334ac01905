import { Module } from '@nestjs/common';
import { Accounts } from './accounts';
import { ApiTokens } from './api-tokens';
import { SecondFactor } from './second-factor';
import { SecurityLog } from './security-log';
import { StaffAccounts } from './staff-accounts';

@Module({
  providers: [ApiTokens, Accounts, SecurityLog, SecondFactor, StaffAccounts],
  exports: [ApiTokens, Accounts, SecurityLog, SecondFactor, StaffAccounts],
})
export class IdentityModule {}
