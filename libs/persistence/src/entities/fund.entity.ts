import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { FeeShare, FundBalances, PaymentTrigger, ReminderOffsets } from '@sg/domain';

@Entity('funds')
export class FundEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('text') slug: string;
  @Column('text') name: string;
  @Column('char', { length: 3 }) currency: string;
  @Column('bigint', { name: 'total_pence' }) totalPence: number;
  @Column('integer', { name: 'fee_rate_bp' }) feeRateBasisPoints: number;
  @Column('text', { name: 'fee_basis' }) feeBasis: 'fund_total' | 'awarded' | 'disbursed';
  @Column('text', { name: 'fee_treatment' }) feeTreatment: 'top_slice' | 'on_top';
  @Column('bigint', { name: 'max_per_organisation_pence' }) maxPerOrganisationPence: number;
  @Column('bigint', { name: 'grantable_pence' }) grantablePence: number;
  @Column('integer', { name: 'alert_thresholds_bp', array: true }) alertThresholdsBasisPoints: number[];
  @Column('jsonb') areas: { code: string; name: string }[];
  @Column('date', { name: 'opens_on', nullable: true }) opensOn: string | null;
  @Column('date', { name: 'closes_on', nullable: true }) closesOn: string | null;
  @Column('text', { name: 'offer_valid_for' }) offerValidFor: string;
  @Column('jsonb', { name: 'fee_shares' }) feeShares: FeeShare[];
  @Column('text', { name: 'report_form_key', nullable: true }) reportFormKey: string | null;
  /** When the programme's funding period ends: grants still open after it are flagged on the desk. */
  @Column('date', { name: 'programme_ends_on', nullable: true }) programmeEndsOn: string | null;
  @Column('jsonb', { name: 'reminder_offsets' }) reminderOffsets: Partial<ReminderOffsets>;
  @Column('jsonb', { name: 'payment_schedule' }) paymentSchedule: { percent: number; trigger: PaymentTrigger }[];
  @Column('jsonb', { name: 'report_schedule' }) reportSchedule: { kind: 'interim' | 'final'; dueAfter: string }[];
  @Column('boolean', { name: 'payment_release_needs_second_officer' }) paymentReleaseNeedsSecondOfficer: boolean;
  @Column('text', { name: 'application_form_key', nullable: true }) applicationFormKey: string | null;
  @Column('text', { name: 'rubric_key', nullable: true }) rubricKey: string | null;
  @Column('text', { name: 'eligible_legal_forms', array: true }) eligibleLegalForms: string[];
  @Column('jsonb') definition: Record<string, unknown>;
  @Column('bigint', { name: 'allocated_pence' }) allocatedPence: number;
  @Column('bigint', { name: 'fee_pence' }) feePence: number;
  @Column('bigint', { name: 'committed_pence' }) committedPence: number;
  @Column('bigint', { name: 'disbursed_pence' }) disbursedPence: number;
  @Column('bigint', { name: 'returned_pence' }) returnedPence: number;
  @Column('integer') version: number;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
}

/** The balances stored on the fund row (kept in step by every transition; checked by reconciliation). */
export function storedBalances(f: FundEntity): FundBalances {
  return {
    allocatedPence: f.allocatedPence,
    feePence: f.feePence,
    committedPence: f.committedPence,
    disbursedPence: f.disbursedPence,
    returnedPence: f.returnedPence,
  };
}
