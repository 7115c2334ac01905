import { parseArgs } from 'node:util';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigModule } from '@sg/config';
import { isActorRole, rolesWith, UseCaseError } from '@sg/domain';
import { IdentityModule, StaffInvitations } from '@sg/identity';
import { PersistenceModule } from '@sg/persistence';

@Module({ imports: [ConfigModule.forRoot(), PersistenceModule, IdentityModule] })
class CreateUserModule {}

const USAGE = `usage: npm run create-user -- --email <address> --name <display name> --role <${rolesWith('hold-staff-account').join('|')}> [--partner <vda or funder slug>]`;

/**
 * Creates a staff account from the command line (the first admin, say): staff never register
 * themselves. The person receives an email with a link to choose a password, sent by the worker.
 */
async function createUser(): Promise<void> {
  const { values } = parseArgs({
    options: {
      email: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string' },
      partner: { type: 'string' },
    },
  });
  if (!values.email || !values.name || !values.role || !isActorRole(values.role)) throw new Error(USAGE);
  const app = await NestFactory.createApplicationContext(CreateUserModule, { logger: ['error', 'warn'] });
  try {
    const { userId } = await app
      .get(StaffInvitations)
      .invite(
        { userId: 'cli', role: 'system', partnerOrganisationId: null },
        { email: values.email, displayName: values.name, role: values.role, partnerOrganisationSlug: values.partner },
      );
    console.log(`created ${values.role} ${userId}; the worker will email a link to choose a password`);
  } finally {
    await app.close();
  }
}

createUser().catch((err: unknown) => {
  const detail =
    err instanceof UseCaseError
      ? `${err.message}${err.fields.length ? ` (${err.fields.map((f) => `${f.field}: ${f.message}`).join('; ')})` : ''}`
      : err instanceof Error
        ? err.message
        : String(err);
  console.error(`create-user failed: ${detail}`);
  process.exit(1);
});
