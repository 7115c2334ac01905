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
