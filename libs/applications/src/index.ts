export * from './applications.module';
export * from './execute-transition/execute-transition.use-case';
export * from './manage-applications/application-queries';
export * from './manage-applications/application-view';
export * from './manage-applications/draft-application.use-case';
export * from './forms/application-forms';
export * from './application-access';
export * from './files/application-files';
