import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { ApplicationFiles, ApplicationQueries, DeskQueries, DraftApplicationUseCase } from '@sg/applications';
import { can, UseCaseError } from '@sg/domain';
import { FundEvidenceQueries, FundQueries } from '@sg/funds';
import { Organisations } from '@sg/organisations';
import type { FastifyReply } from 'fastify';
import { Public } from '../http/actor';
import { UuidParam } from '../http/params';
import { sendStoredFile } from '../http/send-file';
import { ApplicationPageReads } from './application-page-reads';
import { dashboardApplications, fundPageView } from './application-view/home.view';
import { field, formFields, PageErrors, PageRequest, Pages } from './pages';

/**
 * The applicant's home, a fund's page and starting an application there, and files. Drafting is in
 * DraftPagesController; a sent application, its offer and the letter in ApplicationStatusPagesController.
 */
@ApiExcludeController()
@Public()
@Controller()
export class ApplicationPagesController {
  constructor(
    private readonly pages: Pages,
    private readonly reads: ApplicationPageReads,
    private readonly funds: FundQueries,
    private readonly organisations: Organisations,
    private readonly queries: ApplicationQueries,
    private readonly drafts: DraftApplicationUseCase,
    private readonly files: ApplicationFiles,
    private readonly desk: DeskQueries,
    private readonly evidence: FundEvidenceQueries,
  ) {}

  @Get()
  async home(@Req() req: PageRequest, @Res() reply: FastifyReply) {
    const user = await this.pages.user(req);
    const funds = await this.funds.list();
    if (!user) return this.pages.render(req, reply, 'home', { title: this.pages.t('home.title'), funds, user: null });
    if (can(user.actor.role, 'view-evidence-as-funder')) {
      // A funder's viewers read their funds' evidence (aggregates only), and nothing else.
      return this.pages.render(req, reply, 'staff', {
        title: this.pages.t('staff.title'),
        user,
        funds: [],
        funderFunds: await this.evidence.fundedBy(user.actor),
      });
    }
    if (!can(user.actor.role, 'apply-for-organisation'))
      return this.pages.render(req, reply, 'staff', {
        title: this.pages.t('staff.title'),
        user,
        funds: await this.desk.funds(user.actor),
      });
    const { items } = await this.queries.list(user.actor, { limit: 200, offset: 0 });
    return this.pages.render(req, reply, 'dashboard', {
      title: this.pages.t('dashboard.title'),
      user,
      funds,
      applications: dashboardApplications(items, funds, this.pages.messages),
      organisations: await this.organisations.mine(user.actor),
    });
  }

  @Get('funds/:slug')
  async fund(@Req() req: PageRequest, @Res() reply: FastifyReply, @Param('slug') slug: string) {
    return this.fundPage(req, reply, slug, {});
  }

  @Post('funds/:slug/applications')
  async start(@Req() req: PageRequest, @Res() reply: FastifyReply, @Param('slug') slug: string) {
    const user = await this.pages.requireUser(req, reply);
    if (!user) return;
    const fund = (await this.funds.list()).find((f) => f.slug === slug);
    if (!fund) throw UseCaseError.notFound('The fund');
    const organisationId = field(formFields(req), 'organisationId');
    try {
      const app = await this.drafts.create(
        user.actor,
        fund.id,
        /^[0-9a-f-]{36}$/.test(organisationId) ? organisationId : '00000000-0000-0000-0000-000000000000',
        {},
      );
      const form = await this.reads.form(app);
      return this.pages.redirect(reply, `/applications/${app.id}/sections/${form.sections[0].id}`);
    } catch (err) {
      const message =
        err instanceof UseCaseError && err.fields[0]?.field === 'organisationId'
          ? this.pages.t('fund.chooseOrganisation')
          : undefined;
      const errs = this.pages.errors(err, () => 'organisationId');
      if (message) errs.fieldErrors.organisationId = errs.errors[0].text = message;
      return this.fundPage(req, reply, slug, errs, 400);
    }
  }

  /** A file, for whoever may read its application (a download, never shown inline). */
  @Get('files/:fileId')
  async file(@Req() req: PageRequest, @Res() reply: FastifyReply, @UuidParam('fileId') fileId: string) {
    const user = await this.pages.requireUser(req, reply);
    if (!user) return;
    await sendStoredFile(reply, await this.files.open(user.actor, fileId));
  }

  private async fundPage(req: PageRequest, reply: FastifyReply, slug: string, errs: Partial<PageErrors>, status = 200) {
    const fund = (await this.funds.list()).find((f) => f.slug === slug);
    if (!fund) throw UseCaseError.notFound('The fund');
    const user = await this.pages.user(req);
    const organisations =
      user && can(user.actor.role, 'apply-for-organisation') ? await this.organisations.mine(user.actor) : [];
    const view = fundPageView(fund, organisations, errs.fieldErrors?.organisationId, this.pages.messages);
    return this.pages.render(
      req,
      reply,
      'fund',
      { title: fund.name, user, ...view, organisations, backLink: '/', ...errs },
      status,
    );
  }
}
