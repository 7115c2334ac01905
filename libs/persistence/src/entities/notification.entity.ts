import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One email: the unique dedupe key makes a second job for the same email a no-op. */
@Entity('notifications')
export class NotificationEntity {
  @PrimaryColumn('bigint') id: number;
  @Column('text', { name: 'dedupe_key' }) dedupeKey: string;
  @Column('text') template: string;
  @Column('uuid', { name: 'application_id' }) applicationId: string;
  @Column('bigint', { name: 'event_id' }) eventId: number;
  @Column('uuid', { name: 'recipient_user_id' }) recipientUserId: string;
  @Column('text') status: 'pending' | 'sending' | 'sent' | 'failed';
  @Column('integer') attempts: number;
  @Column('timestamptz', { name: 'claimed_at', nullable: true }) claimedAt: Date | null;
  @Column('timestamptz', { name: 'sent_at', nullable: true }) sentAt: Date | null;
  @Column('text', { name: 'message_id', nullable: true }) messageId: string | null;
  @Column('text', { name: 'last_error', nullable: true }) lastError: string | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt: Date;
}
