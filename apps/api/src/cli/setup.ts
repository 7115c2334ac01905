import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { defaultFormsDir, publishFormsFrom, publishRubricsFrom } from '@sg/applications';
import { AppConfig, ConfigModule } from '@sg/config';
import { CreateFundUseCase, FundDefinitionDto, FundIdsStore } from '@sg/funds';
import { FundsModule } from '@sg/funds';
import { Accounts, ApiTokens, DEVELOPMENT_PASSWORD, DEVELOPMENT_USERS, IdentityModule } from '@sg/identity';
import { DatabaseSetup, PersistenceModule } from '@sg/persistence';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';

@Module({
  imports: [ConfigModule.forRoot(), PersistenceModule, FundsModule, IdentityModule],
  providers: [FundIdsStore],
})
class SetupModule {}

/**
 * Brings a database up to date: runs pending migrations, creates each fund in config/funds/ whose
 * slug is not there yet, and with DEVELOPMENT_USERS=on (only allowed with NODE_ENV=development,
 * as `npm start` sets them) creates the development users of every role. Safe to run at every start.
 */
async function setup(): Promise<void> {
  const app = await NestFactory.createApplicationContext(SetupModule, { logger: ['error', 'warn'] });
  try {
    const db = app.get(DatabaseSetup);
    const ran = await db.migrate();
    console.log(`migrations: ${ran.length} applied${ran.length ? ` (${ran.join(', ')})` : ''}`);
    const ds = db.dataSource;

    for (const f of await publishFormsFrom(ds, defaultFormsDir())) console.log(`form ${f.file}: ${f.outcome}`);
    for (const r of await publishRubricsFrom(ds)) console.log(`rubric ${r.file}: ${r.outcome}`);

    const dir = join(process.cwd(), 'config', 'funds');
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
      const definition = plainToInstance(FundDefinitionDto, JSON.parse(readFileSync(join(dir, file), 'utf8')));
      const errors = validateSync(definition, { whitelist: true, forbidNonWhitelisted: true });
      if (errors.length > 0)
        throw new Error(`${file} is not a valid fund definition: ${errors.map((e) => e.toString()).join('; ')}`);
      if (await app.get(FundIdsStore).idBySlug(definition.slug)) {
        console.log(`fund ${definition.slug}: already loaded`);
        continue;
      }
      await app
        .get(CreateFundUseCase)
        .execute({ userId: 'setup', role: 'system', partnerOrganisationId: null }, definition);
      console.log(`fund ${definition.slug}: created from ${file}`);
    }

    if (app.get(AppConfig).DEVELOPMENT_USERS === 'on') {
      for (const u of DEVELOPMENT_USERS) {
        const { userId } = await app.get(ApiTokens).upsertUser(u);
        await app.get(Accounts).setVerifiedPassword(userId, DEVELOPMENT_PASSWORD);
      }
      console.log(`development users: ${DEVELOPMENT_USERS.length} (tokens and password in README)`);
    }
  } finally {
    await app.close();
  }
}

setup().catch((err: unknown) => {
  console.error(`setup failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
