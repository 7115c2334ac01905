import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Actor, UseCaseError } from '@sg/domain';
import { OrganisationEntity } from '@sg/persistence';
import { DataSource } from 'typeorm';

export const LEGAL_FORMS = [
  'registered_charity',
  'cio',
  'cic',
  'company_limited_by_guarantee',
  'unincorporated_community_group',
  'other',
] as const;
export type LegalForm = (typeof LEGAL_FORMS)[number];

export interface OrganisationFields {
  name: string;
  legalForm: LegalForm;
  registrationNumber?: string;
  areaCode: string;
  postcode?: string;
}

export interface OrganisationView {
  id: string;
  name: string;
  legalForm: string;
  registrationNumber: string | null;
  areaCode: string;
  postcode: string | null;
  createdAt: string;
}

/**
 * Applicant organisations. The spine keeps the profile small; the applicant journey adds
 * communities served, languages, the 'by and for' declaration and duplicate detection.
 */
@Injectable()
export class Organisations {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async create(actor: Actor, f: OrganisationFields): Promise<OrganisationView> {
    if (actor.role !== 'applicant') throw new UseCaseError('forbidden', 'role_not_permitted', 'Only applicants register organisations');
    return this.dataSource.transaction(async (m) => {
      const [row] = await m.query(
        `INSERT INTO organisations (name, legal_form, registration_number, area_code, postcode, created_by)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [f.name.trim(), f.legalForm, f.registrationNumber?.trim() || null, f.areaCode, f.postcode?.trim().toUpperCase() || null, actor.userId],
      );
      await m.query(`INSERT INTO organisation_members (organisation_id, user_id, role) VALUES ($1, $2, 'owner')`, [row.id, actor.userId]);
      return view(await m.getRepository(OrganisationEntity).findOneByOrFail({ id: row.id }));
    });
  }

  async mine(actor: Actor): Promise<OrganisationView[]> {
    if (actor.role !== 'applicant') return [];
    const orgs = await this.dataSource
      .getRepository(OrganisationEntity)
      .createQueryBuilder('o')
      .where('o.id IN (SELECT organisation_id FROM organisation_members WHERE user_id = :uid)', { uid: actor.userId })
      .orderBy('o.created_at', 'ASC')
      .getMany();
    return orgs.map(view);
  }

  /** Members see their organisation; a fund's officers see organisations that applied to it. */
  async get(actor: Actor, id: string): Promise<OrganisationView> {
    const allowed =
      actor.role === 'applicant'
        ? `SELECT 1 FROM organisation_members WHERE organisation_id = $1 AND user_id = $2`
        : actor.role === 'officer' || actor.role === 'partner_officer' || actor.role === 'panel_member'
          ? `SELECT 1 FROM applications a JOIN fund_partners fp ON fp.fund_id = a.fund_id
             WHERE a.organisation_id = $1 AND a.state <> 'draft' AND fp.partner_organisation_id = $2 AND fp.role <> 'funder'`
          : null;
    const key = actor.role === 'applicant' ? actor.userId : actor.partnerOrganisationId;
    const ok = allowed && key ? (await this.dataSource.query(allowed, [id, key])).length > 0 : false;
    const org = ok ? await this.dataSource.getRepository(OrganisationEntity).findOneBy({ id }) : null;
    if (!org) throw UseCaseError.notFound('The organisation');
    return view(org);
  }
}

function view(o: OrganisationEntity): OrganisationView {
  return {
    id: o.id,
    name: o.name,
    legalForm: o.legalForm,
    registrationNumber: o.registrationNumber,
    areaCode: o.areaCode,
    postcode: o.postcode,
    createdAt: o.createdAt.toISOString(),
  };
}
