import {
  figureCell,
  figureValue,
  FigureColumn,
  FormDefinition,
  poundsWithPence,
  reportFigureColumns,
} from '@sg/domain';
import { stringify } from 'csv-stringify/sync';
import { spreadsheetSafe } from '../payment-run/payment-run';
import { ApplicationExportRow, AwardExportRow, PaymentExportRow, ReportExportRow } from './fund-exports.store';

/**
 * The officers' CSV exports, one file per kind of record, made from the rows fund-exports.store.ts
 * reads. Organisation names and bank references are the only typed text, and they pass through
 * `spreadsheetSafe`.
 */
export type CsvExport = 'applications' | 'awards' | 'payments' | 'reports';
export const CSV_EXPORTS: readonly CsvExport[] = ['applications', 'awards', 'payments', 'reports'];

const gbp = (pence: number | null) => (pence === null ? '' : poundsWithPence(pence));

/** Every application past draft: who, where, how much, when and the risk tier. */
export function applicationsCsv(rows: ApplicationExportRow[]): string {
  return toCsv(
    [
      'reference',
      'organisation',
      'registration_number',
      'legal_form',
      'area_code',
      'state',
      'requested_gbp',
      'awarded_gbp',
      'submitted_on',
      'decided_on',
      'risk_tier',
    ],
    rows.map((r) => [
      r.reference,
      r.organisation,
      r.registration_number ?? '',
      r.legal_form,
      r.area_code,
      r.state,
      gbp(r.requested_pence),
      gbp(r.awarded_pence),
      r.submitted_on ?? '',
      r.decided_on ?? '',
      r.risk_tier ?? '',
    ]),
  );
}

/** Every approved application: the money awarded, paid and returned, the offer's dates and how many conditions it carries (never their text). */
export function awardsCsv(rows: AwardExportRow[]): string {
  return toCsv(
    [
      'reference',
      'organisation',
      'registration_number',
      'area_code',
      'state',
      'awarded_gbp',
      'disbursed_gbp',
      'returned_gbp',
      'offered_on',
      'offer_expires_on',
      'accepted_on',
      'conditions',
      'conditions_open',
    ],
    rows.map((r) => [
      r.reference,
      r.organisation,
      r.registration_number ?? '',
      r.area_code,
      r.state,
      gbp(r.awarded_pence),
      gbp(r.disbursed_pence),
      gbp(r.returned_pence),
      r.offered_on ?? '',
      r.offer_expires_on ?? '',
      r.accepted_on ?? '',
      r.conditions,
      r.conditions_open,
    ]),
  );
}

/** Every payment: tranche, amount, state, what triggers it, when it is due and when it was paid, with the bank reference. */
export function paymentsCsv(rows: PaymentExportRow[]): string {
  return toCsv(
    [
      'payment_id',
      'application_reference',
      'organisation',
      'tranche',
      'amount_gbp',
      'state',
      'trigger',
      'due_on',
      'paid_on',
      'payment_reference',
    ],
    rows.map((r) => [
      r.id,
      r.reference,
      r.organisation,
      r.tranche,
      gbp(r.amount_pence),
      r.state,
      r.trigger,
      r.due_on ?? '',
      r.paid_on ?? '',
      r.payment_reference ?? '',
    ]),
  );
}

/**
 * Every monitoring report with its figures flattened (libs/domain reportFigureColumns): numbers,
 * money in pounds, and each counts-table cell. The narrative, the officers' comments and any
 * other answer that is not a number are not read into a column.
 */
export function reportsCsv(rows: ReportExportRow[], forms: FormDefinition[]): string {
  let figures = reportFigureColumns(forms);
  // Reports answered without a form still have a spend to date.
  if (!figures.some((f) => f.bindsSpend))
    figures = [{ key: 'spend_to_date', money: true, question: 'spend_to_date', bindsSpend: true }, ...figures];
  const value = (f: FigureColumn, r: (typeof rows)[number]) =>
    figureValue(f, r.answers ?? {}) ??
    (f.bindsSpend && r.spend_to_date_pence !== null ? r.spend_to_date_pence : undefined);
  return toCsv(
    [
      'application_reference',
      'organisation',
      'kind',
      'due_on',
      'state',
      'submitted_on',
      'reviewed_on',
      'times_returned',
      ...figures.map((f) => f.key),
    ],
    rows.map((r) => [
      r.reference,
      r.organisation,
      r.kind,
      r.due_on,
      r.state,
      r.submitted_on ?? '',
      r.reviewed_on ?? '',
      r.times_returned,
      ...figures.map((f) => figureCell(f, value(f, r))),
    ]),
  );
}

function toCsv(columns: string[], records: (string | number)[][]): string {
  return stringify(
    records.map((r) => r.map(spreadsheetSafe)),
    { header: true, columns },
  );
}
