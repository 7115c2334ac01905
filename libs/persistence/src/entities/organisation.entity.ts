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
