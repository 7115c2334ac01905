import { Injectable } from '@nestjs/common';
import { ConflictDeclarations, ReadDeskApplication } from '@sg/applications';
import { can, humanDate, UseCaseError } from '@sg/domain';
import { SignedIn } from '@sg/identity';
import type { FastifyReply } from 'fastify';
import { deskActionForms } from './desk-view/desk-actions.view';
import { deskApplicationView, deskProposals, judgementsAwaitDeclaration } from './desk-view/desk-application.view';
import { PageErrors, PageRequest, Pages } from './pages';

/**
 * The desk's pages are for staff; an applicant (or anyone else) finds no desk here. The signed-in
 * person who may use the desk, or null when the handler must return (sent to sign in).
 */
export async function deskUser(pages: Pages, req: PageRequest, reply: FastifyReply): Promise<SignedIn | null> {
  const user = await pages.requireUser(req, reply);
  if (user && !can(user.actor.role, 'use-desk')) throw UseCaseError.notFound('The page');
  return user;
}

/** The desk's application page, rendered for its own handler and for every form on it that is sent back with errors. */
@Injectable()
export class DeskApplicationPage {
  constructor(
    private readonly pages: Pages,
    private readonly deskApplications: ReadDeskApplication,
    private readonly conflicts: ConflictDeclarations,
  ) {}

  async render(
    req: PageRequest,
    reply: FastifyReply,
    user: SignedIn,
    id: string,
    extra: Partial<PageErrors> & Record<string, unknown>,
    status = 200,
  ) {
    let data;
    try {
      data = await this.deskApplications.get(user.actor, id);
    } catch (err) {
      if (!(err instanceof UseCaseError) || err.code !== 'conflict_of_interest') throw err;
      return this.renderWithheld(req, reply, user, id, extra);
    }
    // The declaration comes first: the forms that assess or decide wait for it.
    const awaiting = judgementsAwaitDeclaration(data, user.actor);
    const actions = deskActionForms(
      { ...data.application, allowedActions: data.application.allowedActions.filter((a) => !awaiting.includes(a)) },
      deskProposals(data),
      extra.fieldErrors ?? {},
      this.pages.messages,
    );
    return this.pages.render(
      req,
      reply,
      'staff-application',
      { ...deskApplicationView(data, user.actor, this.pages.messages), user, actions, ...extra },
      status,
    );
  }

  /** For someone who declared a conflict of interest: that the application exists, and nothing it holds. */
  private async renderWithheld(
    req: PageRequest,
    reply: FastifyReply,
    user: SignedIn,
    id: string,
    extra: Partial<PageErrors> & Record<string, unknown>,
  ) {
    const standing = await this.conflicts.standing(user.actor, id);
    const t = (k: string, p?: Record<string, unknown>) => this.pages.t(k, p);
    const latest = standing.history[0];
    return this.pages.render(
      req,
      reply,
      'staff-application-withheld',
      {
        title: standing.reference,
        standing,
        stateLabel: t(`state.${standing.state}`),
        declaredOn: latest ? t('coi.declaredOn', { date: humanDate(latest.declaredAt.slice(0, 10)) }) : '',
        user,
        ...extra,
      },
      403,
    );
  }
}
