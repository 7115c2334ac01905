import { Module } from '@nestjs/common';
import { Accounts } from './accounts';
import { ApiTokens } from './api-tokens';
import { SecurityLog } from './security-log';

@Module({ providers: [ApiTokens, Accounts, SecurityLog], exports: [ApiTokens, Accounts, SecurityLog] })
export class IdentityModule {}
