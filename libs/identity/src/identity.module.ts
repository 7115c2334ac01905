import { Module } from '@nestjs/common';
import { Accounts } from './accounts';
import { ApiTokens } from './api-tokens';
import { SecurityLog } from './security-log';
import { StaffAccounts } from './staff-accounts';

@Module({
  providers: [ApiTokens, Accounts, SecurityLog, StaffAccounts],
  exports: [ApiTokens, Accounts, SecurityLog, StaffAccounts],
})
export class IdentityModule {}
