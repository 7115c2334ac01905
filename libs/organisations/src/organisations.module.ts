import { Module } from '@nestjs/common';
import { Organisations } from './organisations';

@Module({ providers: [Organisations], exports: [Organisations] })
export class OrganisationsModule {}
