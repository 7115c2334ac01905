import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { CLOCK } from '@sg/config';
import { Actor, Clock, londonDate, poundsWithPence, UseCaseError } from '@sg/domain';
import { stringify } from 'csv-stringify/sync';
import { DataSource } from 'typeorm';
import { requireFundOfficer } from '../read-fund/fund-queries';
import { scheduledPaymentsDueBy } from './payment-run.store';

export interface PaymentRunLine {
  paymentId: string;
  applicationId: string;
  applicationReference: string;
  organisation: string;
  registrationNumber: string | null;
  tranche: number;
  amountPence: number;
  dueOn: string;
  /** Why finance must not pay it yet: open conditions that hold up payments, or overdue reports. */
  heldBecause: string[];
}

/**
 * The payment run for the finance team: every scheduled payment due by a date, with what holds
 * any of them up. The engine records payments; finance pays them and the officer releases each
 * one with the bank reference (`release-payment`), which is what posts the disbursement.
 */
@Injectable()
export class PaymentRuns {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async lines(
    actor: Actor,
    fundId: string,
    dueBy?: string,
  ): Promise<{ dueBy: string; lines: PaymentRunLine[]; totalPence: number; releasablePence: number }> {
    const today = londonDate(this.clock.now());
    const by = dueBy ?? today;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(by) || Number.isNaN(Date.parse(by))) {
      throw new UseCaseError('invalid', 'invalid_filter', 'dueBy must be a date as YYYY-MM-DD', [
        { field: 'dueBy', message: 'a date as YYYY-MM-DD' },
      ]);
    }
    const m = this.dataSource.manager;
    await requireFundOfficer(m, actor, fundId, 'payment run');
    const rows = await scheduledPaymentsDueBy(m, fundId, by, today);
    const lines = rows.map((r) => ({
      paymentId: r.id,
      applicationId: r.application_id,
      applicationReference: r.reference,
      organisation: r.organisation,
      registrationNumber: r.registration_number,
      tranche: r.tranche,
      amountPence: r.amount_pence,
      dueOn: r.due_on,
      heldBecause: [
        ...(r.conditions ?? []).map((c) => `condition open: ${c}`),
        ...(r.overdue ?? []).map((k) => `${k} report overdue`),
      ],
    }));
    return {
      dueBy: by,
      lines,
      totalPence: lines.reduce((a, l) => a + l.amountPence, 0),
      releasablePence: lines.filter((l) => l.heldBecause.length === 0).reduce((a, l) => a + l.amountPence, 0),
    };
  }

  /** The same run as CSV, amounts in pounds with two decimals as finance systems import them. */
  async csv(actor: Actor, fundId: string, dueBy?: string): Promise<string> {
    const run = await this.lines(actor, fundId, dueBy);
    const records = run.lines.map((l) => [
      l.paymentId,
      l.applicationReference,
      l.organisation,
      l.registrationNumber ?? '',
      l.tranche,
      poundsWithPence(l.amountPence),
      l.dueOn,
      l.heldBecause.length === 0 ? 'yes' : 'no',
      l.heldBecause.join('; '),
    ]);
    return stringify(
      records.map((r) => r.map(spreadsheetSafe)),
      {
        header: true,
        columns: [
          'payment_id',
          'application_reference',
          'organisation',
          'registration_number',
          'tranche',
          'amount_gbp',
          'due_on',
          'releasable',
          'held_because',
        ],
      },
    );
  }
}

/**
 * Organisation names and condition texts are typed by people: a leading =, +, - or @ would run as
 * a formula when finance opens the file in a spreadsheet, so such cells get a leading apostrophe.
 */
export function spreadsheetSafe(value: string | number): string | number {
  return typeof value === 'string' && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
