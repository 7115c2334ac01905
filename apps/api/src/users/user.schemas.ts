import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { bool, shape, uuid } from '../http/schema-helpers';

export const USER_SCHEMAS: Record<string, SchemaObject> = {
  CreatedUser: shape({ userId: uuid }, 'The new account; the person is emailed a link to choose a password'),
  NotificationPreferences: shape({
    optionalReminders: bool,
    dailyDigest: bool,
    digestAvailable: { ...bool, description: 'whether this account may choose the digest (staff)' },
  }),
};
