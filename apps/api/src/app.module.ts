import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { ApplicationsModule, PageReadsModule } from '@sg/applications';
import { ConfigModule, RuntimeOptions } from '@sg/config';
import { FundsModule } from '@sg/funds';
import { IdentityModule } from '@sg/identity';
import { JobsModule } from '@sg/jobs';
import { OrganisationsModule } from '@sg/organisations';
import { PersistenceModule } from '@sg/persistence';
import { LoggerModule } from 'nestjs-pino';
import { ApplicationsController } from './applications/applications.controller';
import { AssessmentController } from './applications/assessment.controller';
import { FundsController } from './funds/funds.controller';
import { ExportsController } from './exports/exports.controller';
import { HealthController } from './health/health.controller';
import { BearerTokenGuard } from './http/actor';
import { loggerOptions } from './http/logging';
import { ErrorPages, ProblemFilter } from './http/problem.filter';
import { PortalErrorPages } from './portal/page-errors';
import { OrganisationsController } from './organisations/organisations.controller';
import { FilesController } from './files/files.controller';
import { UsersController } from './users/users.controller';
import { MeController } from './users/me.controller';
import { AccountPagesController } from './portal/account-pages.controller';
import { AccountAccessPagesController } from './portal/account-access-pages.controller';
import { AccountPage } from './portal/account-page';
import { ApplicationPagesController } from './portal/application-pages.controller';
import { ApplicationPageReads } from './portal/application-page-reads';
import { ApplicationStatusPagesController } from './portal/application-status-pages.controller';
import { DraftPagesController } from './portal/draft-pages.controller';
import { DeskApplicationPage } from './portal/desk-application-page';
import { DeskApplicationPagesController } from './portal/desk-application-pages.controller';
import { DeskAssessmentPagesController } from './portal/desk-assessment-pages.controller';
import { DeskPagesController } from './portal/desk-pages.controller';
import { ReportPagesController } from './portal/report-pages.controller';
import { Messages } from './portal/messages';
import { MoneyPagesController } from './portal/money-pages.controller';
import { EvidencePagesController } from './portal/evidence-pages.controller';
import { EvidenceController } from './evidence/evidence.controller';
import { OrganisationPagesController } from './portal/organisation-pages.controller';
import { Pages } from './portal/pages';
import { SecondFactorPagesController } from './portal/second-factor-pages.controller';
import { SecondFactorSession } from './portal/second-factor-session';
import { SecurityEventPagesController } from './portal/security-event-pages.controller';
import { StaffPagesController } from './portal/staff-pages.controller';

@Module({
  imports: [
    LoggerModule.forRootAsync({ useFactory: loggerOptions }),
    PersistenceModule,
    JobsModule,
    TerminusModule,
    IdentityModule,
    FundsModule,
    OrganisationsModule,
    ApplicationsModule,
    PageReadsModule,
  ],
  controllers: [
    HealthController,
    FundsController,
    ExportsController,
    OrganisationsController,
    ApplicationsController,
    AssessmentController,
    FilesController,
    UsersController,
    MeController,
    AccountPagesController,
    SecondFactorPagesController,
    AccountAccessPagesController,
    OrganisationPagesController,
    ApplicationPagesController,
    DraftPagesController,
    ApplicationStatusPagesController,
    DeskPagesController,
    DeskApplicationPagesController,
    DeskAssessmentPagesController,
    ReportPagesController,
    MoneyPagesController,
    EvidencePagesController,
    EvidenceController,
    StaffPagesController,
    SecurityEventPagesController,
  ],
  providers: [
    { provide: APP_GUARD, useClass: BearerTokenGuard },
    { provide: APP_FILTER, useClass: ProblemFilter },
    { provide: Messages, useFactory: () => new Messages() },
    { provide: ErrorPages, useFactory: (messages: Messages) => new PortalErrorPages(messages), inject: [Messages] },
    Pages,
    SecondFactorSession,
    AccountPage,
    DeskApplicationPage,
    ApplicationPageReads,
  ],
})
export class ApiModule {
  /** The module with its runtime: the system clock, or the one a test moves. */
  static create(options: RuntimeOptions = {}): DynamicModule {
    return { module: ApiModule, imports: [ConfigModule.forRoot(options)] };
  }
}
