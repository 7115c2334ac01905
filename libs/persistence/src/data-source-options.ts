import './bigint-as-pence';
import { DataSourceOptions } from 'typeorm';
import { ApplicationFileEntity, ApplicationFormEntity } from './entities/application-form.entity';
import { ApplicationEntity } from './entities/application.entity';
import { EventEntity, LedgerEntryEntity } from './entities/event.entity';
import { FundEntity } from './entities/fund.entity';
import { MonitoringReportEntity } from './entities/monitoring-report.entity';
import { NotificationEntity } from './entities/notification.entity';
import { OutboxEntity } from './entities/outbox.entity';
import { OrganisationEntity, OrganisationMemberEntity } from './entities/organisation.entity';
import { FundPartnerEntity, PartnerOrganisationEntity } from './entities/partner-organisation.entity';
import { PaymentEntity } from './entities/payment.entity';
import { UserEntity } from './entities/user.entity';
import { TheSpine1764000000000 } from './migrations/1764000000000-the-spine';
import { ApplicantJourney1764100000000 } from './migrations/1764100000000-applicant-journey';
import { OfficerAssessment1764200000000 } from './migrations/1764200000000-officer-assessment';
import { MoneyAndJobs1764300000000 } from './migrations/1764300000000-money-and-jobs';
import { MonitoringAndEvidence1764400000000 } from './migrations/1764400000000-monitoring-and-evidence';
import { AccessYouCanTakeBack1764500000000 } from './migrations/1764500000000-access-you-can-take-back';
import { NamedApiTokens1764510000000 } from './migrations/1764510000000-named-api-tokens';
import { StaffAndMembers1764520000000 } from './migrations/1764520000000-staff-and-members';
import { StaffSecondFactor1764530000000 } from './migrations/1764530000000-staff-second-factor';
import { DeclarationsAndTwoOfficerRelease1764560000000 } from './migrations/1764560000000-declarations-and-two-officer-release';

export const ENTITIES = [
  FundEntity,
  PartnerOrganisationEntity,
  FundPartnerEntity,
  UserEntity,
  OrganisationEntity,
  OrganisationMemberEntity,
  ApplicationEntity,
  EventEntity,
  LedgerEntryEntity,
  OutboxEntity,
  NotificationEntity,
  PaymentEntity,
  MonitoringReportEntity,
  ApplicationFormEntity,
  ApplicationFileEntity,
];

/** Listed, not globbed, so that the same list works from TypeScript under Jest and from dist/. */
export const MIGRATIONS = [
  TheSpine1764000000000,
  ApplicantJourney1764100000000,
  OfficerAssessment1764200000000,
  MoneyAndJobs1764300000000,
  MonitoringAndEvidence1764400000000,
  AccessYouCanTakeBack1764500000000,
  NamedApiTokens1764510000000,
  StaffAndMembers1764520000000,
  StaffSecondFactor1764530000000,
  DeclarationsAndTwoOfficerRelease1764560000000,
];

export function dataSourceOptions(url: string, poolSize = 10): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    // Schema changes go through migrations only.
    synchronize: false,
    migrationsRun: false,
    logging: false,
    extra: { max: poolSize, application_name: 'small-grants' },
  };
}
