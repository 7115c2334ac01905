import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Append-only: the database rejects UPDATE, DELETE and TRUNCATE on this table. */
@Entity('events')
export class EventEntity {
  @PrimaryColumn('bigint') id: number;
  @Column('uuid', { name: 'fund_id' }) fundId: string;
  @Column('uuid', { name: 'application_id', nullable: true }) applicationId: string | null;
  @Column('text') action: string;
  @Column('text', { name: 'from_state', nullable: true }) fromState: string | null;
  @Column('text', { name: 'to_state', nullable: true }) toState: string | null;
  @Column('uuid', { name: 'actor_user_id', nullable: true }) actorUserId: string | null;
  @Column('text', { name: 'actor_role' }) actorRole: string;
  @Column('text', { nullable: true }) reason: string | null;
  @Column('jsonb') data: Record<string, unknown>;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
}

/** Append-only, like events. Amounts are positive; the kind gives the direction. */
@Entity('ledger_entries')
export class LedgerEntryEntity {
  @PrimaryColumn('bigint') id: number;
  @Column('uuid', { name: 'fund_id' }) fundId: string;
  @Column('uuid', { name: 'application_id', nullable: true }) applicationId: string | null;
  @Column('uuid', { name: 'organisation_id', nullable: true }) organisationId: string | null;
  @Column('bigint', { name: 'event_id' }) eventId: number;
  @Column('text') kind: 'allocation' | 'fee' | 'commitment' | 'release' | 'disbursement' | 'return';
  @Column('bigint', { name: 'amount_pence' }) amountPence: number;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
}
