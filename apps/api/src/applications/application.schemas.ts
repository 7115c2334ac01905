import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { APPLICATION_STATES, CONDITION_BLOCKS, LIFECYCLE_ACTIONS, OUTCOMES, RISK_TIERS } from '@sg/domain';
import {
  anyObject,
  bool,
  date,
  dateTime,
  int,
  itemsOf,
  nullable,
  pence,
  person,
  ref,
  shape,
  str,
  strings,
  uuid,
} from '../http/schema-helpers';

const state: SchemaObject = { type: 'string', enum: [...APPLICATION_STATES] };
const action: SchemaObject = { type: 'string', enum: [...LIFECYCLE_ACTIONS] };
const outcome: SchemaObject = { type: 'string', enum: [...OUTCOMES] };
const blocks: SchemaObject = { type: 'string', enum: [...CONDITION_BLOCKS] };

const Payment = shape({
  id: uuid,
  tranche: int,
  amountPence: pence,
  state: str,
  trigger: { ...str, description: '`pending` payments wait for this trigger' },
  dueOn: nullable(date),
  paidAt: nullable(dateTime),
  reference: nullable(str),
});

const ApplicationViewShape = shape(
  {
    id: uuid,
    reference: str,
    fundId: uuid,
    organisation: shape({ id: uuid, name: str }),
    state,
    version: { ...int, description: 'also the ETag, as "v<version>"' },
    allowedActions: { type: 'array', items: action, description: 'what this caller may do next' },
    title: str,
    summary: str,
    requestedPence: nullable({ ...pence, description: 'null only while a draft has not said' }),
    areaCode: str,
    activityRiskTier: nullable(str),
    awardedPence: nullable(pence),
    conditions: strings,
    disbursedPence: pence,
    returnedPence: pence,
    underspendWaived: bool,
    offerExpiresAt: nullable(dateTime),
    submittedAt: nullable(dateTime),
    decidedAt: nullable(dateTime),
    acceptedAt: nullable(dateTime),
    form: nullable(shape({ key: str, version: int })),
    answers: { ...anyObject, description: 'valid answers by question id' },
    createdAt: dateTime,
    updatedAt: dateTime,
    payments: { type: 'array', items: Payment },
    reports: {
      type: 'array',
      items: shape({
        id: uuid,
        kind: str,
        dueOn: date,
        state: str,
        narrative: nullable(str),
        spendToDatePence: nullable(pence),
        comments: nullable(str),
        submittedAt: nullable(dateTime),
      }),
    },
  },
  'An application: always with its `state` and the caller’s `allowedActions`',
);
/** In a list, to someone who declared a conflict of interest in it: what it holds is withheld. */
const ApplicationView: SchemaObject = {
  ...ApplicationViewShape,
  properties: {
    ...ApplicationViewShape.properties,
    conflictOfInterest: {
      type: 'boolean',
      enum: [true],
      description:
        'present when the caller declared a conflict of interest: title, summary, answers, conditions, payments and reports are withheld',
    },
  },
};

const Report = shape({
  id: uuid,
  applicationId: uuid,
  kind: { type: 'string', enum: ['interim', 'final'] },
  state: str,
  dueOn: date,
  comments: nullable({ ...str, description: 'the officer’s comments when the report was returned' }),
  timesReturned: int,
  form: nullable(shape({ key: str, version: int })),
  answers: anyObject,
  submittedAt: nullable(dateTime),
  reviewedAt: nullable(dateTime),
});

const Condition = shape({
  id: uuid,
  text: str,
  evidenceRequired: str,
  blocks,
  dueOn: nullable(date),
  status: { type: 'string', enum: ['open', 'met', 'waived'] },
  resolutionNote: nullable(str),
  resolvedBy: nullable(person),
  resolvedAt: nullable(dateTime),
  source: nullable(str),
});

const Assessment = shape({
  applicationId: uuid,
  eligibility: nullable(
    shape({
      checkedAt: dateTime,
      checks: { type: 'array', items: shape({ id: str, passed: bool, reason: str }) },
    }),
  ),
  rubric: nullable(
    shape({
      key: str,
      version: int,
      title: str,
      areas: { type: 'array', items: shape({ id: str, title: str, levels: strings }) },
      tiers: { ...anyObject, description: 'per risk tier, the minimum score of each area it requires' },
    }),
  ),
  declaredRiskTier: nullable(str),
  assessment: nullable(
    shape({
      riskTier: { type: 'string', enum: [...RISK_TIERS] },
      scores: { type: 'object', additionalProperties: int },
      notes: { type: 'object', additionalProperties: str },
      computedOutcome: outcome,
      outcome,
      overrideReason: nullable(str),
      areas: {
        type: 'array',
        items: shape({
          areaId: str,
          score: int,
          minimum: nullable(int),
          status: { type: 'string', enum: ['met', 'not_required', 'gap', 'serious_gap'] },
        }),
      },
      proposedConditions: {
        type: 'array',
        items: shape({ text: str, evidence: str, blocks, dueAfter: str, source: str }),
      },
      countersignRequired: bool,
      recommendedPence: nullable(pence),
      assessedBy: person,
      assessedAt: dateTime,
      countersignedBy: nullable(person),
      countersignedAt: nullable(dateTime),
      version: int,
    }),
  ),
});

const File = shape({ id: uuid, questionId: str, name: str, contentType: str, sizeBytes: int, uploadedAt: dateTime });

const Note = shape({ id: int, body: str, author: person, at: dateTime });

export const APPLICATION_SCHEMAS: Record<string, SchemaObject> = {
  Application: ApplicationView,
  ApplicationList: itemsOf(ref('Application'), { total: int }),
  TransitionResult: shape(
    {
      transition: shape({ action, from: state, to: state, eventId: int }),
      application: ref('Application'),
    },
    'The transition taken and the application after it',
  ),
  BulkActionResult: itemsOf({
    type: 'object',
    required: ['applicationId', 'ok'],
    properties: {
      applicationId: str,
      ok: bool,
      to: { ...state, description: 'the new state, when ok' },
      code: { ...str, description: 'why it was refused, when not ok' },
      message: str,
    },
  }),
  ApplicationEventList: itemsOf({
    type: 'object',
    required: ['id', 'action', 'from', 'to', 'actorRole', 'reason', 'at'],
    properties: {
      id: int,
      action: str,
      from: nullable(str),
      to: nullable(str),
      actorRole: str,
      reason: nullable(str),
      message: { ...str, description: 'request-information and provide-information: the conversation' },
      at: dateTime,
    },
  }),
  ApplicationFile: File,
  ApplicationFileList: itemsOf(ref('ApplicationFile')),
  PaymentList: itemsOf(Payment),
  Report,
  ReportList: itemsOf(ref('Report')),
  Assessment,
  Condition,
  ConditionList: itemsOf(ref('Condition')),
  ConflictDeclaration: shape({ conflicted: bool, declaredAt: dateTime }),
  ConflictStanding: shape(
    {
      applicationId: uuid,
      reference: str,
      state,
      conflicted: nullable(bool),
      history: { type: 'array', items: shape({ conflicted: bool, declaredAt: dateTime }) },
    },
    'What the caller may know of an application whatever they declared, with their declarations (newest first); conflicted is null before the first',
  ),
  Note,
  NoteList: itemsOf(ref('Note')),
};
