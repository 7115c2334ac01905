import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { bool, dateTime, nullable, shape, str, uuid } from '../http/schema-helpers';

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
};
