import { Module } from '@nestjs/common';
import { ApiTokens } from './api-tokens';

@Module({ providers: [ApiTokens], exports: [ApiTokens] })
export class IdentityModule {}
