import { Injectable } from '@nestjs/common';
import { ReadDeskApplication } from '@sg/applications';
import { can, UseCaseError } from '@sg/domain';
import { SignedIn } from '@sg/identity';
import type { FastifyReply } from 'fastify';
import { deskActionForms } from './desk-view/desk-actions.view';
import { deskApplicationView, deskProposals } from './desk-view/desk-application.view';
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
  ) {}

  async render(
    req: PageRequest,
    reply: FastifyReply,
    user: SignedIn,
    id: string,
    extra: Partial<PageErrors> & Record<string, unknown>,
    status = 200,
  ) {
    const data = await this.deskApplications.get(user.actor, id);
    const actions = deskActionForms(
      data.application,
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
}
