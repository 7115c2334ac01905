import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { LEGAL_FORMS } from '@sg/organisations';
import { bool, dateTime, itemsOf, nullable, ref, shape, str, strings, uuid } from '../http/schema-helpers';

const text = nullable(str);

const profile = shape({
  id: uuid,
  name: str,
  legalForm: { type: 'string', enum: [...LEGAL_FORMS] },
  registrationNumber: text,
  addressLine1: text,
  addressLine2: text,
  town: text,
  postcode: text,
  areaCode: str,
  communitiesServed: strings,
  communitiesOther: text,
  languages: strings,
  ledByAndFor: nullable(bool),
  ledByAndForStatement: text,
  safeguardingLeadName: text,
  safeguardingLeadRole: text,
  createdAt: dateTime,
});

export const ORGANISATION_SCHEMAS: Record<string, SchemaObject> = {
  Organisation: {
    ...profile,
    properties: {
      ...profile.properties,
      yourRole: { type: 'string', enum: ['owner', 'member'], description: 'the caller’s role in it, for members' },
      duplicateFlags: {
        type: 'array',
        description: 'officers only: organisations this one appears to duplicate, and why',
        items: shape({ organisationId: uuid, name: str, reason: str }),
      },
    },
  },
  OrganisationList: itemsOf(ref('Organisation')),
  OrganisationMembers: shape({
    members: { type: 'array', items: shape({ userId: uuid, displayName: str, email: str, role: str }) },
    invitations: { type: 'array', items: shape({ id: uuid, email: str, createdAt: dateTime }) },
  }),
  Invitation: shape({ id: uuid, email: str }),
};
