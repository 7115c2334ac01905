import { Module } from '@nestjs/common';
import { Accounts } from './accounts';
import { ApiTokens } from './api-tokens';
import { SecurityLog } from './security-log';
import { SecondFactor } from './second-factor';

@Module({
  providers: [ApiTokens, Accounts, SecurityLog, SecondFactor],
  exports: [ApiTokens, Accounts, SecurityLog, SecondFactor],
})
export class IdentityModule {}
