import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AppConfig, CLOCK } from '@sg/config';
import {
  Actor,
  AwardFacts,
  Clock,
  figureCell,
  figureValue,
  FigureColumn,
  FormDefinition,
  FundFacts,
  poundsWithPence,
  reportFigureColumns,
  threeSixtyGivingPackage,
  ThreeSixtyGivingPackage,
  UseCaseError,
} from '@sg/domain';
import { stringify } from 'csv-stringify/sync';
import { DataSource, EntityManager } from 'typeorm';
import { spreadsheetSafe } from '../payment-run/payment-run';
import { requireFundOfficer } from '../read-fund/fund-queries';

/**
 * The fund's records for its officers, as CSV for a spreadsheet, and its awards as 360Giving data.
 *
 * What is never exported, by construction: every query below names the columns it reads, and none
 * of them is free text (titles, summaries, answers to application questions, report narratives,
 * officers' comments and notes, reasons, condition texts), an address, a postcode, a contact
 * detail or a file. Address and postcode columns are not even read: a refuge or safe-accommodation
 * address must never be able to reach a file that leaves the system. Organisation names and bank
 * references are the only typed text, and they pass through `spreadsheetSafe`.
 */
export type CsvExport = 'applications' | 'awards' | 'payments' | 'reports';
export const CSV_EXPORTS: readonly CsvExport[] = ['applications', 'awards', 'payments', 'reports'];

/** Dates as people in the UK read them (YYYY-MM-DD, Europe/London). */
const day = (column: string) => `to_char(${column} AT TIME ZONE 'Europe/London', 'YYYY-MM-DD')`;
const gbp = (pence: number | null) => (pence === null ? '' : poundsWithPence(pence));

/** The states of an award that happened (offered and kept, paid or ended), for 360Giving. */
const GRANT_STATES = ['offered', 'conditions_pending', 'active', 'suspended', 'closing', 'closed', 'terminated'];

@Injectable()
export class FundExports {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  async csv(actor: Actor, fundId: string, which: CsvExport): Promise<string> {
    const m = this.dataSource.manager;
    await requireFundOfficer(m, actor, fundId, `${which} export`);
    switch (which) {
      case 'applications':
        return this.applications(m, fundId);
      case 'awards':
        return this.awards(m, fundId);
      case 'payments':
        return this.payments(m, fundId);
      case 'reports':
        return this.reports(m, fundId);
      default:
        throw UseCaseError.notFound('The export');
    }
  }

  /** Every application past draft: who, where, how much, when and the risk tier. */
  private async applications(m: EntityManager, fundId: string): Promise<string> {
    const rows: {
      reference: string;
      organisation: string;
      registration_number: string | null;
      legal_form: string;
      area_code: string;
      state: string;
      requested_pence: number | null;
      awarded_pence: number | null;
      submitted_on: string | null;
      decided_on: string | null;
      risk_tier: string | null;
    }[] = await m.query(
      `SELECT a.reference, o.name AS organisation, o.registration_number, o.legal_form, a.area_code, a.state,
              a.requested_pence, a.awarded_pence, ${day('a.submitted_at')} AS submitted_on, ${day('a.decided_at')} AS decided_on,
              coalesce(s.risk_tier, a.activity_risk_tier) AS risk_tier
       FROM applications a JOIN organisations o ON o.id = a.organisation_id LEFT JOIN assessments s ON s.application_id = a.id
       WHERE a.fund_id = $1 AND a.state <> 'draft'
       ORDER BY a.submitted_at NULLS LAST, a.reference`,
      [fundId],
    );
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
  private async awards(m: EntityManager, fundId: string): Promise<string> {
    const rows: {
      reference: string;
      organisation: string;
      registration_number: string | null;
      area_code: string;
      state: string;
      awarded_pence: number;
      disbursed_pence: number;
      returned_pence: number;
      offered_on: string | null;
      offer_expires_on: string | null;
      accepted_on: string | null;
      conditions: number;
      conditions_open: number;
    }[] = await m.query(
      `SELECT a.reference, o.name AS organisation, o.registration_number, a.area_code, a.state, a.awarded_pence, a.disbursed_pence, a.returned_pence,
              ${day('a.decided_at')} AS offered_on, ${day('a.offer_expires_at')} AS offer_expires_on, ${day('a.accepted_at')} AS accepted_on,
              (SELECT count(*)::int FROM conditions c WHERE c.application_id = a.id) AS conditions,
              (SELECT count(*)::int FROM conditions c WHERE c.application_id = a.id AND c.status = 'open') AS conditions_open
       FROM applications a JOIN organisations o ON o.id = a.organisation_id
       WHERE a.fund_id = $1 AND a.awarded_pence IS NOT NULL
       ORDER BY a.decided_at, a.reference`,
      [fundId],
    );
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
  private async payments(m: EntityManager, fundId: string): Promise<string> {
    const rows: {
      id: string;
      reference: string;
      organisation: string;
      tranche: number;
      amount_pence: number;
      state: string;
      trigger: string;
      due_on: string | null;
      paid_on: string | null;
      payment_reference: string | null;
    }[] = await m.query(
      `SELECT p.id, a.reference, o.name AS organisation, p.tranche, p.amount_pence, p.state, p.trigger, to_char(p.due_on, 'YYYY-MM-DD') AS due_on,
              ${day('p.paid_at')} AS paid_on, p.reference AS payment_reference
       FROM payments p JOIN applications a ON a.id = p.application_id JOIN organisations o ON o.id = a.organisation_id
       WHERE p.fund_id = $1
       ORDER BY a.reference, p.tranche`,
      [fundId],
    );
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
  private async reports(m: EntityManager, fundId: string): Promise<string> {
    const rows: {
      reference: string;
      organisation: string;
      kind: string;
      due_on: string;
      state: string;
      submitted_on: string | null;
      reviewed_on: string | null;
      times_returned: number;
      spend_to_date_pence: number | null;
      answers: Record<string, unknown>;
    }[] = await m.query(
      `SELECT a.reference, o.name AS organisation, r.kind, to_char(r.due_on, 'YYYY-MM-DD') AS due_on, r.state,
              ${day('r.submitted_at')} AS submitted_on, ${day('r.reviewed_at')} AS reviewed_on, r.times_returned, r.spend_to_date_pence, r.answers
       FROM monitoring_reports r JOIN applications a ON a.id = r.application_id JOIN organisations o ON o.id = a.organisation_id
       WHERE a.fund_id = $1
       ORDER BY a.reference, r.due_on, r.kind`,
      [fundId],
    );
    let figures = reportFigureColumns(await this.reportForms(m, fundId));
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

  /** The report forms the fund's reports were answered on, and its current one: newest first. */
  private async reportForms(m: EntityManager, fundId: string): Promise<FormDefinition[]> {
    const forms: { definition: FormDefinition }[] = await m.query(
      `SELECT f.definition FROM application_forms f
       WHERE (f.key, f.version) IN (SELECT r.form_key, r.form_version FROM monitoring_reports r JOIN applications a ON a.id = r.application_id
                                     WHERE a.fund_id = $1 AND r.form_key IS NOT NULL)
          OR (f.key, f.version) IN (SELECT g.key, max(g.version) FROM application_forms g JOIN funds fu ON fu.report_form_key = g.key
                                     WHERE fu.id = $1 GROUP BY g.key)
       ORDER BY f.key, f.version DESC`,
      [fundId],
    );
    return forms.map((f) => f.definition);
  }

  /** The fund's awards as a 360Giving package (libs/domain three-sixty-giving for what goes in and why). */
  async threeSixtyGiving(actor: Actor, fundId: string): Promise<ThreeSixtyGivingPackage> {
    const m = this.dataSource.manager;
    await requireFundOfficer(m, actor, fundId, '360Giving export');
    const [fund]: {
      slug: string;
      name: string;
      currency: string;
      total_pence: number;
      areas: { code: string; name: string }[];
      opens_on: string | null;
      programme_ends_on: string | null;
      allocated_on: string;
      updated_at: Date;
    }[] = await m.query(
      `SELECT f.slug, f.name, f.currency, f.total_pence, f.areas, to_char(f.opens_on, 'YYYY-MM-DD') AS opens_on,
              to_char(f.programme_ends_on, 'YYYY-MM-DD') AS programme_ends_on, f.updated_at,
              ${day(`coalesce((SELECT min(l.created_at) FROM ledger_entries l WHERE l.fund_id = f.id AND l.kind = 'allocation'), f.created_at)`)} AS allocated_on
       FROM funds f WHERE f.id = $1`,
      [fundId],
    );
    const partners: { role: string; slug: string; name: string }[] = await m.query(
      `SELECT fp.role, p.slug, p.name FROM fund_partners fp JOIN partner_organisations p ON p.id = fp.partner_organisation_id
       WHERE fp.fund_id = $1 AND fp.role IN ('managing', 'funder') ORDER BY p.slug`,
      [fundId],
    );
    const managing = partners.find((p) => p.role === 'managing');
    if (!managing)
      throw new UseCaseError(
        'conflict',
        'no_managing_organisation',
        'The fund has no managing organisation to publish its grants',
      );
    const funder = partners.find((p) => p.role === 'funder');
    const facts: FundFacts = {
      slug: fund.slug,
      name: fund.name,
      currency: fund.currency,
      totalPence: fund.total_pence,
      areas: fund.areas,
      managing: { slug: managing.slug, name: managing.name },
      funder: funder ? { slug: funder.slug, name: funder.name } : null,
      opensOn: fund.opens_on,
      programmeEndsOn: fund.programme_ends_on,
      allocatedOn: fund.allocated_on,
      modifiedAt: fund.updated_at,
    };
    // The organisation columns read are its identity and the 'by and for' answer only: never its
    // address, town or postcode, its own description of its communities, or its safeguarding lead.
    const rows: {
      reference: string;
      organisation_id: string;
      name: string;
      legal_form: string;
      registration_number: string | null;
      led_by_and_for: boolean | null;
      communities_served: string[];
      area_code: string;
      requested_pence: number | null;
      awarded_pence: number;
      disbursed_pence: number;
      returned_pence: number;
      decided_on: string;
      accepted_on: string | null;
      final_due_on: string | null;
      updated_at: Date;
    }[] = await m.query(
      `SELECT a.reference, o.id AS organisation_id, o.name, o.legal_form, o.registration_number, o.led_by_and_for, o.communities_served,
              a.area_code, a.requested_pence, a.awarded_pence, a.disbursed_pence, a.returned_pence,
              ${day('a.decided_at')} AS decided_on, ${day('a.accepted_at')} AS accepted_on, a.updated_at,
              (SELECT to_char(max(r.due_on), 'YYYY-MM-DD') FROM monitoring_reports r WHERE r.application_id = a.id AND r.kind = 'final' AND r.state <> 'cancelled') AS final_due_on
       FROM applications a JOIN organisations o ON o.id = a.organisation_id
       WHERE a.fund_id = $1 AND a.awarded_pence IS NOT NULL AND a.decided_at IS NOT NULL AND a.state = ANY($2)
       ORDER BY a.decided_at, a.reference`,
      [fundId, GRANT_STATES],
    );
    const awards: AwardFacts[] = rows.map((r) => ({
      reference: r.reference,
      organisation: {
        id: r.organisation_id,
        name: r.name,
        legalForm: r.legal_form,
        registrationNumber: r.registration_number,
        ledByAndFor: r.led_by_and_for,
        communitiesServed: r.communities_served ?? [],
      },
      areaCode: r.area_code,
      requestedPence: r.requested_pence,
      awardedPence: r.awarded_pence,
      disbursedPence: r.disbursed_pence,
      returnedPence: r.returned_pence,
      decidedOn: r.decided_on,
      acceptedOn: r.accepted_on,
      finalReportDueOn: r.final_due_on,
      modifiedAt: r.updated_at,
    }));
    const prefix = this.config.THREESIXTYGIVING_PREFIX;
    const dataSource = `${this.config.PUBLIC_URL.replace(/\/$/, '')}/api/v1/funds/${fundId}/exports/360giving.json`;
    return threeSixtyGivingPackage(facts, awards, { prefix, dataSource, now: this.clock.now() });
  }
}

function toCsv(columns: string[], records: (string | number)[][]): string {
  return stringify(
    records.map((r) => r.map(spreadsheetSafe)),
    { header: true, columns },
  );
}
