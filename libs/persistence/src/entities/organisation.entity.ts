import { Column, Entity, PrimaryColumn } from 'typeorm';

/** An applicant voluntary and community organisation (VCO). */
@Entity('organisations')
export class OrganisationEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('text') name: string;
  @Column('text', { name: 'legal_form' }) legalForm: string;
  @Column('text', { name: 'registration_number', nullable: true }) registrationNumber: string | null;
  @Column('text', { name: 'area_code' }) areaCode: string;
  @Column('text', { nullable: true }) postcode: string | null;
  @Column('text', { name: 'address_line_1', nullable: true }) addressLine1: string | null;
  @Column('text', { name: 'address_line_2', nullable: true }) addressLine2: string | null;
  @Column('text', { nullable: true }) town: string | null;
  @Column('text', { name: 'communities_served', array: true }) communitiesServed: string[];
  @Column('text', { name: 'communities_other', nullable: true }) communitiesOther: string | null;
  @Column('text', { array: true }) languages: string[];
  @Column('boolean', { name: 'led_by_and_for', nullable: true }) ledByAndFor: boolean | null;
  @Column('text', { name: 'led_by_and_for_statement', nullable: true }) ledByAndForStatement: string | null;
  @Column('text', { name: 'safeguarding_lead_name', nullable: true }) safeguardingLeadName: string | null;
  @Column('text', { name: 'safeguarding_lead_role', nullable: true }) safeguardingLeadRole: string | null;
  /** The normalised name used for duplicate detection (organisationNameKey). */
  @Column('text', { name: 'name_key' }) nameKey: string;
  /** The organisation this one appears to duplicate (the earliest registered); awards count together. */
  @Column('uuid', { name: 'duplicate_of', nullable: true }) duplicateOf: string | null;
  @Column('uuid', { name: 'created_by' }) createdBy: string;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
}

@Entity('organisation_members')
export class OrganisationMemberEntity {
  @PrimaryColumn('uuid', { name: 'organisation_id' }) organisationId: string;
  @PrimaryColumn('uuid', { name: 'user_id' }) userId: string;
  @Column('text') role: 'owner' | 'member';
}
