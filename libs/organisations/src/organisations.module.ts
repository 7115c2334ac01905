import { Module } from '@nestjs/common';
import { IdentityModule } from '@sg/identity';
import { OrganisationMembers } from './organisation-members';
import { Organisations } from './organisations';

@Module({
  imports: [IdentityModule],
  providers: [Organisations, OrganisationMembers],
  exports: [Organisations, OrganisationMembers],
})
export class OrganisationsModule {}
