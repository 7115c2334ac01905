import { Module } from '@nestjs/common';
import { JobsModule } from '@sg/jobs';
import { ApplicationAccess } from './application-access';
import { ExecuteTransitionUseCase } from './execute-transition/execute-transition.use-case';
import { ApplicationQueries } from './manage-applications/application-queries';
import { DraftApplicationUseCase } from './manage-applications/draft-application.use-case';

@Module({
  imports: [JobsModule],
  providers: [ApplicationAccess, ApplicationQueries, DraftApplicationUseCase, ExecuteTransitionUseCase],
  exports: [ApplicationQueries, DraftApplicationUseCase, ExecuteTransitionUseCase],
})
export class ApplicationsModule {}
