import { Injectable } from '@nestjs/common';
import { ApplicationFiles, ApplicationForms, ApplicationQueries, ApplicationView } from '@sg/applications';
import { Actor, can, FormDefinition, UseCaseError } from '@sg/domain';
import { FundQueries } from '@sg/funds';

/** The reads the applicant's application pages share, each through its use case. */
@Injectable()
export class ApplicationPageReads {
  constructor(
    private readonly funds: FundQueries,
    private readonly queries: ApplicationQueries,
    private readonly forms: ApplicationForms,
    private readonly applicationFiles: ApplicationFiles,
  ) {}

  /** The application while its applicant may still change it; 404 once sent (or to anyone else). */
  async draft(actor: Actor, id: string): Promise<ApplicationView> {
    const app = await this.queries.get(actor, id);
    if (app.state !== 'draft' || !can(actor.role, 'apply-for-organisation') || !app.form)
      throw new UseCaseError('not_found', 'not_a_draft', 'This application can no longer be changed');
    return app;
  }

  async form(app: ApplicationView): Promise<FormDefinition> {
    if (!app.form) throw new UseCaseError('not_found', 'no_form', 'This fund has no application form');
    return this.forms.get(app.form.key, app.form.version);
  }

  /** The form the application was started on, or null for a fund without one. */
  async formOrNull(app: ApplicationView): Promise<FormDefinition | null> {
    return app.form ? this.forms.get(app.form.key, app.form.version) : null;
  }

  async fundName(fundId: string): Promise<string> {
    return (await this.funds.list()).find((f) => f.id === fundId)?.name ?? '';
  }

  /** The application's files by id: their names, and the question each answers (checked by ApplicationFiles). */
  async files(
    actor: Actor,
    applicationId: string,
  ): Promise<{ names: Map<string, string>; questions: Map<string, string> }> {
    const list = await this.applicationFiles.list(actor, applicationId);
    return {
      names: new Map(list.map((f) => [f.id, f.name])),
      questions: new Map(list.map((f) => [f.id, f.questionId])),
    };
  }
}
