import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A job to hand to the queue once the transaction that wrote it has committed. */
@Entity('outbox')
export class OutboxEntity {
  @PrimaryColumn('bigint') id: number;
  @Column('text') queue: string;
  @Column('text', { name: 'job_name' }) jobName: string;
  @Column('text', { name: 'job_id' }) jobId: string;
  @Column('jsonb') payload: Record<string, unknown>;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
  @Column('timestamptz', { name: 'relayed_at', nullable: true }) relayedAt: Date | null;
}
