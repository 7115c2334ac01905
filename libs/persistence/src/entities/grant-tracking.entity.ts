import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { PaymentState, PaymentTrigger } from '@sg/domain';

@Entity('payments')
export class PaymentEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'application_id' }) applicationId: string;
  @Column('uuid', { name: 'fund_id' }) fundId: string;
  @Column('integer') tranche: number;
  @Column('bigint', { name: 'amount_pence' }) amountPence: number;
  @Column('text') state: PaymentState;
  @Column('text') trigger: PaymentTrigger;
  /** When it became payable (London date); null while it waits for its trigger. */
  @Column('date', { name: 'due_on', nullable: true }) dueOn: string | null;
  @Column('timestamptz', { name: 'paid_at', nullable: true }) paidAt: Date | null;
  @Column('text', { nullable: true }) reference: string | null;
}

@Entity('monitoring_reports')
export class MonitoringReportEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid', { name: 'application_id' }) applicationId: string;
  @Column('text') kind: 'interim' | 'final';
  @Column('date', { name: 'due_on' }) dueOn: string;
  @Column('text') state: 'due' | 'submitted' | 'accepted' | 'returned' | 'cancelled';
  @Column('text', { nullable: true }) narrative: string | null;
  @Column('bigint', { name: 'spend_to_date_pence', nullable: true }) spendToDatePence: number | null;
  @Column('text', { nullable: true }) comments: string | null;
  @Column('timestamptz', { name: 'submitted_at', nullable: true }) submittedAt: Date | null;
  @Column('timestamptz', { name: 'reviewed_at', nullable: true }) reviewedAt: Date | null;
  /** The report form version it is answered against; null for reports of funds without a report form. */
  @Column('text', { name: 'form_key', nullable: true }) formKey: string | null;
  @Column('integer', { name: 'form_version', nullable: true }) formVersion: number | null;
  @Column('jsonb') answers: Record<string, unknown>;
  @Column('integer', { name: 'times_returned' }) timesReturned: number;
}
