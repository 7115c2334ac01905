import { Module } from '@nestjs/common';
import { IdentityModule } from '@sg/identity';
import { JobsModule } from '@sg/jobs';
import { ApplicationAccess } from './application-access';
import { ApplicationAccessStore } from './application-access.store';
import { ExecuteTransitionUseCase } from './execute-transition/execute-transition.use-case';
import { ReminderScan } from './reminders/reminder-scan';
import { RemindersStore } from './reminders/reminders.store';
import { MonitoringReports } from './reports/monitoring-reports';
import { ApplicationQueries } from './manage-applications/application-queries';
import { DraftApplicationUseCase } from './manage-applications/draft-application.use-case';
import { ApplicationsStore } from './manage-applications/applications.store';
import { ApplicationForms } from './forms/application-forms';
import { ApplicationFiles } from './files/application-files';
import { ApplicationFilesStore } from './files/application-files.store';
import { AssessApplicationUseCase } from './assessment/assess-application.use-case';
import { InternalNotes } from './assessment/internal-notes';
import { InternalNotesStore } from './assessment/internal-notes.store';
import { AwardConditions } from './conditions/award-conditions';
import { ConflictDeclarations } from './conflicts/conflict-declarations';
import { DeskQueries } from './desk/desk-queries';
import { BulkTransitionsUseCase } from './bulk/bulk-transitions.use-case';

@Module({
  imports: [JobsModule, IdentityModule],
  providers: [
    ApplicationAccess,
    ApplicationAccessStore,
    ApplicationQueries,
    DraftApplicationUseCase,
    ApplicationsStore,
    ExecuteTransitionUseCase,
    ApplicationForms,
    ApplicationFiles,
    ApplicationFilesStore,
    AssessApplicationUseCase,
    InternalNotes,
    InternalNotesStore,
    AwardConditions,
    ConflictDeclarations,
    DeskQueries,
    BulkTransitionsUseCase,
    ReminderScan,
    RemindersStore,
    MonitoringReports,
  ],
  exports: [
    ApplicationAccess,
    ApplicationQueries,
    DraftApplicationUseCase,
    ExecuteTransitionUseCase,
    ApplicationForms,
    ApplicationFiles,
    AssessApplicationUseCase,
    InternalNotes,
    AwardConditions,
    ConflictDeclarations,
    DeskQueries,
    BulkTransitionsUseCase,
    ReminderScan,
    MonitoringReports,
  ],
})
export class ApplicationsModule {}
