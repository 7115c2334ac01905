import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { LEDGER_KINDS } from '@sg/domain';
import {
  anyObject,
  bool,
  date,
  dateTime,
  int,
  itemsOf,
  nullable,
  pence,
  ref,
  shape,
  str,
  strings,
  uuid,
} from '../http/schema-helpers';

const FundSummary = shape({
  id: uuid,
  slug: str,
  name: str,
  currency: str,
  opensOn: nullable(date),
  closesOn: nullable(date),
  maxPerOrganisationPence: pence,
  areas: { type: 'array', items: shape({ code: str, name: str }) },
});

const FundMoney = shape({
  totalPence: pence,
  feeRateBasisPoints: int,
  feeBasis: str,
  feeTreatment: str,
  feePence: pence,
  grantablePence: pence,
  committedPence: pence,
  disbursedPence: pence,
  returnedPence: pence,
  availablePence: pence,
  reconciled: { ...bool, description: 'balances recomputed from the ledger equal the stored summary' },
});

const FormDefinition = shape(
  {
    key: str,
    version: int,
    title: str,
    sections: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'questions'],
        properties: { id: str, title: str, questions: { type: 'array', items: anyObject } },
      },
    },
    declaration: strings,
  },
  'A form: sections of questions (type, limits, conditions) and the declaration',
);

export const FUND_SCHEMAS: Record<string, SchemaObject> = {
  FundSummary,
  FundList: itemsOf(ref('FundSummary')),
  Fund: {
    allOf: [ref('FundSummary')],
    type: 'object',
    properties: { money: { ...FundMoney, description: 'for the fund’s officers, panel, funder and admins' } },
  },
  FormDefinition,
  LedgerEntryList: itemsOf(
    shape({
      id: int,
      kind: { type: 'string', enum: [...LEDGER_KINDS] },
      amountPence: pence,
      applicationId: nullable(uuid),
      eventId: int,
      at: dateTime,
    }),
  ),
  PaymentRun: shape({
    dueBy: date,
    lines: {
      type: 'array',
      items: shape({
        paymentId: uuid,
        applicationId: uuid,
        applicationReference: str,
        organisation: str,
        registrationNumber: nullable(str),
        tranche: int,
        amountPence: pence,
        dueOn: date,
        heldBecause: { ...strings, description: 'why finance must not pay it yet; empty when it may be paid' },
      }),
    },
    totalPence: pence,
    releasablePence: pence,
  }),
  FeeStatement: shape({
    fundId: uuid,
    fundName: str,
    basis: str,
    rateBasisPoints: int,
    treatment: str,
    managing: shape({ slug: str, name: str }),
    periods: {
      type: 'array',
      items: shape({
        period: { type: 'string', pattern: '^\\d{4}-\\d{2}$', description: 'a month in Europe/London' },
        chargedPence: pence,
        reversedPence: pence,
        netPence: pence,
        cumulativePence: pence,
        shares: { type: 'array', items: shape({ partner: str, name: str, sharePence: pence }) },
      }),
    },
    totalPence: pence,
  }),
  ThreeSixtyGivingPackage: shape(
    {
      version: str,
      extensions: strings,
      title: str,
      identifier: str,
      modified: dateTime,
      publisher: shape({ identifier: str, name: str }),
      grants: { type: 'array', items: anyObject },
    },
    'A 360Giving 1.4 package; amounts in pounds as numbers',
  ),
};
