import { Module } from '@nestjs/common';
import { JobsModule } from '@sg/jobs';
import { ApplicationAccess } from './application-access';
import { ExecuteTransitionUseCase } from './execute-transition/execute-transition.use-case';
import { ApplicationQueries } from './manage-applications/application-queries';
import { DraftApplicationUseCase } from './manage-applications/draft-application.use-case';
import { ApplicationForms } from './forms/application-forms';
import { ApplicationFiles } from './files/application-files';

@Module({
  imports: [JobsModule],
  providers: [ApplicationAccess, ApplicationQueries, DraftApplicationUseCase, ExecuteTransitionUseCase, ApplicationForms, ApplicationFiles],
  exports: [ApplicationAccess, ApplicationQueries, DraftApplicationUseCase, ExecuteTransitionUseCase, ApplicationForms, ApplicationFiles],
})
export class ApplicationsModule {}
