import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { DISABLE_REASONS, rolesWith } from '@sg/domain';
import { bool, dateTime, itemsOf, nullable, ref, shape, str, uuid } from '../http/schema-helpers';

export const USER_SCHEMAS: Record<string, SchemaObject> = {
  ApiToken: shape(
    { id: uuid, name: str, createdAt: dateTime, expiresAt: dateTime, lastUsedAt: nullable(dateTime) },
    'One of the caller’s live API tokens; the secret is shown once, when minted on /account, and never again',
  ),
  RevokedApiToken: shape({ id: uuid, name: str, revokedAt: dateTime }, 'The token, which answers 401 from now on'),
  CreatedUser: shape({ userId: uuid }, 'The new account; the person is emailed a link to choose a password'),
  NotificationPreferences: shape({
    optionalReminders: bool,
    dailyDigest: bool,
    digestAvailable: { ...bool, description: 'whether this account may choose the digest (staff)' },
  }),
  StaffUser: shape({
    id: uuid,
    email: str,
    displayName: str,
    role: { type: 'string', enum: [...rolesWith('hold-staff-account')] },
    partnerOrganisation: { ...shape({ slug: str, name: str }), nullable: true },
    lastSignedInAt: nullable(dateTime),
    state: {
      type: 'string',
      enum: ['invited', 'active', 'disabled'],
      description: 'invited: no password chosen yet; disabled: refused everywhere until re-enabled',
    },
    disabledAt: nullable(dateTime),
    disabledReason: { type: 'string', enum: [...DISABLE_REASONS], nullable: true },
  }),
  StaffUserList: itemsOf(ref('StaffUser')),
};
