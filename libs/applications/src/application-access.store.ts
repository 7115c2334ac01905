import { Injectable } from '@nestjs/common';
import { ApplicationRelations } from '@sg/domain';
import { EntityManager } from 'typeorm';
import { DETAILS_COLUMNS, DETAILS_JOINS } from './application-facts';
import { LATEST_DECLARATION } from './conflicts/conflict-declarations.store';

export type AccessRow = Record<string, unknown> & {
  _partners: ApplicationRelations['fundPartners'];
  _member: boolean;
  /** The declarant's latest conflict-of-interest declaration: true, false, or null (none, or no declarant). */
  _conflicted: boolean | null;
};

/** An application's row with what decides who may see it. */
@Injectable()
export class ApplicationAccessStore {
  /**
   * One statement: the application, its fund's partners and whether `memberUserId` (null for no
   * one) belongs to the applying organisation, and `declarantUserId`'s latest conflict-of-interest
   * declaration on it; with `details`, DETAILS_COLUMNS too; with `lock`,
   * the application's row is locked.
   */
  async applicationWithRelations(
    m: EntityManager,
    applicationId: string,
    memberUserId: string | null,
    declarantUserId: string | null,
    o: { lock: boolean; details: boolean },
  ): Promise<AccessRow | undefined> {
    const [row]: AccessRow[] = await m.query(
      `SELECT a.*,
         (SELECT coalesce(json_agg(json_build_object('partnerOrganisationId', fp.partner_organisation_id, 'role', fp.role, 'areas', fp.areas)), '[]')
            FROM fund_partners fp WHERE fp.fund_id = a.fund_id) AS _partners,
         ($2::uuid IS NOT NULL AND EXISTS (SELECT 1 FROM organisation_members om WHERE om.organisation_id = a.organisation_id AND om.user_id = $2::uuid)) AS _member,
         CASE WHEN $3::uuid IS NOT NULL THEN ${LATEST_DECLARATION('a.id', '$3::uuid')} END AS _conflicted
         ${o.details ? `, ${DETAILS_COLUMNS}` : ''}
       FROM applications a ${o.details ? DETAILS_JOINS : ''} WHERE a.id = $1${o.lock ? ' FOR UPDATE OF a' : ''}`,
      [applicationId, memberUserId, declarantUserId],
    );
    return row;
  }
}
