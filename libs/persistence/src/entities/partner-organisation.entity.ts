import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A VDA or funder: the managing organisation of a fund, a partner covering areas, or the funder. */
@Entity('partner_organisations')
export class PartnerOrganisationEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('text') slug: string;
  @Column('text') name: string;
  @Column('text') kind: 'vda' | 'funder';
}

@Entity('fund_partners')
export class FundPartnerEntity {
  @PrimaryColumn('uuid', { name: 'fund_id' }) fundId: string;
  @PrimaryColumn('uuid', { name: 'partner_organisation_id' }) partnerOrganisationId: string;
  @Column('text') role: 'managing' | 'partner' | 'funder';
  @Column('text', { array: true }) areas: string[];
}
