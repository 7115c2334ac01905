import { Module } from '@nestjs/common';
import { Accounts } from './accounts';
import { ApiTokens } from './api-tokens';

@Module({ providers: [ApiTokens, Accounts], exports: [ApiTokens, Accounts] })
export class IdentityModule {}
