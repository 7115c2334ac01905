import { Injectable } from '@nestjs/common';
import { Actor, ApplicationRelations, canSeeApplication, UseCaseError } from '@sg/domain';
import { ApplicationEntity } from '@sg/persistence';
import { EntityManager } from 'typeorm';

/** Loads an application with what decides who may see it; answers 404 to anyone who may not. */
@Injectable()
export class ApplicationAccess {
  async loadVisible(m: EntityManager, actor: Actor, applicationId: string, lock = false): Promise<ApplicationEntity> {
    const app = await m.getRepository(ApplicationEntity).findOne({
      where: { id: applicationId },
      ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
    if (!app || !canSeeApplication(actor, await this.relations(m, actor, app))) throw UseCaseError.notFound('The application');
    return app;
  }

  async relations(m: EntityManager, actor: Actor, app: ApplicationEntity): Promise<ApplicationRelations> {
    // Sequential: inside a transaction these share one connection.
    const member =
      actor.role === 'applicant'
        ? await m.query('SELECT 1 FROM organisation_members WHERE organisation_id = $1 AND user_id = $2', [app.organisationId, actor.userId])
        : [];
    const partners = await m.query('SELECT partner_organisation_id, role, areas FROM fund_partners WHERE fund_id = $1', [app.fundId]);
    return {
      state: app.state,
      areaCode: app.areaCode,
      actorIsMember: member.length > 0,
      fundPartners: partners.map((p: { partner_organisation_id: string; role: 'managing' | 'partner' | 'funder'; areas: string[] }) => ({
        partnerOrganisationId: p.partner_organisation_id,
        role: p.role,
        areas: p.areas,
      })),
    };
  }
}
