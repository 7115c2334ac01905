import { NotificationDraft } from '@sg/domain';
import { EntityManager } from 'typeorm';
import { writeAudienceNotifications } from './notifications.store';

export interface NotificationSubject {
  eventId: number;
  applicationId: string;
  fundId: string;
  organisationId: string;
  areaCode: string;
}

/**
 * The notifications of a transition: per draft, its audience's rows, keyed by (event, template,
 * recipient) so that writing them twice is harmless.
 */
export async function enqueueNotifications(
  m: Pick<EntityManager, 'query'>,
  subject: NotificationSubject,
  drafts: readonly NotificationDraft[],
): Promise<number> {
  // All of a transition's drafts in one statement: the audiences are selected inside the insert.
  return writeAudienceNotifications(
    m,
    drafts.map((draft) => ({
      template: draft.template,
      dedupePrefix: `${subject.eventId}:${draft.template}:`,
      audience: draft.audience,
      fundId: subject.fundId,
      organisationId: subject.organisationId,
      areaCode: subject.areaCode,
      applicationId: subject.applicationId,
      eventId: subject.eventId,
    })),
  );
}
