import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { AnswerValue, ApplicationState } from '@sg/domain';

@Entity('applications')
export class ApplicationEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('text') reference: string;
  @Column('uuid', { name: 'fund_id' }) fundId: string;
  @Column('uuid', { name: 'organisation_id' }) organisationId: string;
  @Column('text') state: ApplicationState;
  /** Changed only by the conditional UPDATE of a transition; see ExecuteTransitionUseCase. */
  @Column('integer') version: number;
  @Column('text') title: string;
  @Column('text') summary: string;
  /** Null only while a draft has not said how much it asks for. */
  @Column('bigint', { name: 'requested_pence', nullable: true }) requestedPence: number | null;
  @Column('text', { name: 'area_code' }) areaCode: string;
  @Column('text', { name: 'activity_risk_tier', nullable: true }) activityRiskTier: 'low' | 'medium' | 'high' | null;
  @Column('bigint', { name: 'awarded_pence', nullable: true }) awardedPence: number | null;
  @Column('jsonb') conditions: string[];
  @Column('text', { name: 'return_to_state', nullable: true }) returnToState: 'screening' | 'risk_assessment' | null;
  @Column('bigint', { name: 'disbursed_pence' }) disbursedPence: number;
  @Column('bigint', { name: 'returned_pence' }) returnedPence: number;
  @Column('boolean', { name: 'underspend_waived' }) underspendWaived: boolean;
  @Column('timestamptz', { name: 'offer_expires_at', nullable: true }) offerExpiresAt: Date | null;
  @Column('timestamptz', { name: 'submitted_at', nullable: true }) submittedAt: Date | null;
  @Column('timestamptz', { name: 'decided_at', nullable: true }) decidedAt: Date | null;
  @Column('timestamptz', { name: 'accepted_at', nullable: true }) acceptedAt: Date | null;
  /** The form version the application was started on; it keeps it for life. */
  @Column('text', { name: 'form_key', nullable: true }) formKey: string | null;
  @Column('integer', { name: 'form_version', nullable: true }) formVersion: number | null;
  /** Valid answers by question id (see validateAnswers); never partly invalid. */
  @Column('jsonb') answers: Record<string, AnswerValue>;
  @Column('uuid', { name: 'created_by' }) createdBy: string;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
  @Column('timestamptz', { name: 'state_changed_at' }) stateChangedAt: Date;
}
