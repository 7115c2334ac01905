import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('users')
export class UserEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('text') email: string;
  @Column('text', { name: 'display_name' }) displayName: string;
  @Column('text') role: 'applicant' | 'officer' | 'partner_officer' | 'panel_member' | 'funder_viewer' | 'admin';
  @Column('uuid', { name: 'partner_organisation_id', nullable: true }) partnerOrganisationId: string | null;
  /** Argon2id; null for staff who have not yet set a password and for API-only users. */
  @Column('text', { name: 'password_hash', nullable: true }) passwordHash: string | null;
  @Column('timestamptz', { name: 'email_verified_at', nullable: true }) emailVerifiedAt: Date | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
}
