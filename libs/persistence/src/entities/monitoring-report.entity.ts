import { Column, Entity, PrimaryColumn } from 'typeorm';

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
