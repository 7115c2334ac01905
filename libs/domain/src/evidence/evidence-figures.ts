import { ChoiceOption, countColumns, FormDefinition, Question } from '../forms/form-definition';
import { Pence } from '../money/pence';

/**
 * The evidence a fund's accepted monitoring reports add up to: reach (people, and who they were
 * by each equality characteristic), referrals between groups and other services with what they
 * cost the groups, outcomes, safeguarding and activity. Counts only: a report's narrative and any
 * other text never enter these figures. People, referrals, outcomes and safeguarding are counted
 * per reporting period, so a grant's and a fund's figures are sums over the accepted reports (a
 * person supported in two periods counts in both); spend is cumulative, so a grant's spend is its
 * latest accepted report's spend to date.
 *
 * `C` is how a count is shown: `number` for the fund's staff, `Shown` (see ./suppression) for a
 * funder viewer, so that a suppressed figure cannot carry its number by mistake.
 */
export interface EvidenceFigures<C> {
  /** Applications with money awarded (commitments less releases). */
  grants: C;
  reportsAccepted: C;
  /** Reports due or returned whose due date has passed. */
  reportsOverdue: C;
  /** Grants still open (offered, conditions pending, active, suspended, closing) after the programme's end; 0 before it. */
  grantsOpenAfterEnd: C;
  peopleSupported: C;
  sessionsDelivered: C;
  newVolunteers: C;
  safeguarding: { raised: C; escalated: C };
  /** One table per equality characteristic; each table's rows add up to `peopleSupported`. */
  characteristics: CharacteristicTable<C>[];
  referrals: { rows: ReferralRow<C>[]; totalOut: C; totalIn: C; totalCostPence: Pence };
  /** People achieving each outcome (one person may count towards several). */
  outcomes: OutcomeRow<C>[];
}

export interface CharacteristicTable<C> {
  id: string;
  label: string;
  rows: { value: string; label: string; count: C }[];
}

export interface ReferralRow<C> {
  value: string;
  label: string;
  /** People the group referred to this kind of service. */
  out: C;
  /** People this kind of service referred to the group. */
  in: C;
  /** What the referrals cost the group (money, never suppressed: it counts no one). */
  costPence: Pence;
}

export interface OutcomeRow<C> {
  value: string;
  label: string;
  people: C;
}

/** The equality monitoring tables of a report form, in the order the evidence shows them. */
export const CHARACTERISTIC_TABLES = [
  'ethnicity',
  'sex',
  'age_band',
  'disability',
  'sexual_orientation',
  'religion',
  'pregnancy_maternity',
  'gender_reassignment',
  'first_language',
  'nrpf',
] as const;

/** A table's rows and words, from the report form versions the reports were answered on. */
export interface EvidenceTableLayout {
  id: string;
  label: string;
  rows: ChoiceOption[];
  /** The column holding the count (characteristics: the form's first column, usually `count`). */
  column: string;
}

export interface EvidenceLayout {
  characteristics: EvidenceTableLayout[];
  referrals: EvidenceTableLayout;
  outcomes: EvidenceTableLayout;
}

/** One accepted report, as the evidence needs it (never its narrative). */
export interface AcceptedReport {
  applicationId: string;
  kind: 'interim' | 'final';
  /** When it was accepted (ISO); orders two reports of the same kind. */
  reviewedAt: string | null;
  answers: Record<string, unknown>;
  /** The report's bound spend-to-date column, used when the answers lack `spend_to_date`. */
  spendToDatePence?: Pence | null;
}

/** What a set of grants adds up to besides their reports: counted by the caller from applications and due reports. */
export interface GrantCounts {
  grants: number;
  reportsOverdue: number;
  grantsOpenAfterEnd: number;
}

const ROW_VALUE = /^[a-z0-9][a-z0-9_]{0,59}$/;

function asCount(v: unknown): number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : 0;
}

function asTable(v: unknown): Record<string, Record<string, unknown>> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, Record<string, unknown>>) : {};
}

function cell(answers: Record<string, unknown>, table: string, row: string, column: string): number {
  const cells = asTable(answers[table])[row];
  return typeof cells === 'object' && cells !== null && !Array.isArray(cells) ? asCount(cells[column]) : 0;
}

/**
 * The tables' rows and labels. `forms` are the report form versions in use, newest first: a table
 * takes its label from the newest version that has it and its rows from every version (the newest
 * version's order first); a row found only in answers keeps its value as its label, and a key that
 * is not a row value (lower_snake_case) is ignored, so no typed text can become a label.
 */
export function evidenceLayout(
  forms: readonly FormDefinition[],
  answers: readonly Record<string, unknown>[] = [],
): EvidenceLayout {
  const questions = (id: string): Question[] =>
    forms.flatMap((f) => f.sections.flatMap((s) => s.questions)).filter((q) => q.id === id && q.type === 'counts');
  const table = (id: string, fallbackLabel: string, fallbackColumn: string): EvidenceTableLayout => {
    const qs = questions(id);
    const rows: ChoiceOption[] = [];
    const seen = new Set<string>();
    const add = (value: string, label: string) => {
      if (seen.has(value) || !ROW_VALUE.test(value)) return;
      seen.add(value);
      rows.push({ value, label });
    };
    for (const q of qs) for (const r of q.rows ?? []) add(r.value, r.label);
    for (const a of answers) for (const value of Object.keys(asTable(a[id]))) add(value, value);
    return {
      id,
      label: qs[0]?.label ?? fallbackLabel,
      rows,
      column: qs[0] ? countColumns(qs[0])[0].value : fallbackColumn,
    };
  };
  return {
    characteristics: CHARACTERISTIC_TABLES.map((id) => table(id, id, 'count')),
    referrals: table('referrals', 'referrals', 'out'),
    outcomes: table('outcomes', 'outcomes', 'people'),
  };
}

/** Sums accepted reports' answers into the evidence's figures, every row of the layout present (0 where none). */
export function summariseEvidence(
  layout: EvidenceLayout,
  reports: readonly Pick<AcceptedReport, 'answers'>[],
  counts: GrantCounts,
): EvidenceFigures<number> {
  const sum = (f: (answers: Record<string, unknown>) => number) =>
    reports.reduce((total, r) => total + f(r.answers ?? {}), 0);
  const number = (id: string) => sum((a) => asCount(a[id]));
  const referralRows = layout.referrals.rows.map((r) => ({
    value: r.value,
    label: r.label,
    out: sum((a) => cell(a, 'referrals', r.value, 'out')),
    in: sum((a) => cell(a, 'referrals', r.value, 'in')),
    costPence: sum((a) => cell(a, 'referrals', r.value, 'cost')),
  }));
  return {
    grants: counts.grants,
    reportsAccepted: reports.length,
    reportsOverdue: counts.reportsOverdue,
    grantsOpenAfterEnd: counts.grantsOpenAfterEnd,
    peopleSupported: number('people_supported'),
    sessionsDelivered: number('sessions_delivered'),
    newVolunteers: number('new_volunteers'),
    safeguarding: { raised: number('safeguarding_raised'), escalated: number('safeguarding_escalated') },
    characteristics: layout.characteristics.map((t) => ({
      id: t.id,
      label: t.label,
      rows: t.rows.map((r) => ({
        value: r.value,
        label: r.label,
        count: sum((a) => cell(a, t.id, r.value, t.column)),
      })),
    })),
    referrals: {
      rows: referralRows,
      totalOut: referralRows.reduce((n, r) => n + r.out, 0),
      totalIn: referralRows.reduce((n, r) => n + r.in, 0),
      totalCostPence: referralRows.reduce((n, r) => n + r.costPence, 0),
    },
    outcomes: layout.outcomes.rows.map((r) => ({
      value: r.value,
      label: r.label,
      people: sum((a) => cell(a, 'outcomes', r.value, layout.outcomes.column)),
    })),
  };
}

/**
 * A grant's spend to date: its latest accepted report's (a final report is later than an interim
 * one; of two of a kind, the later accepted), from the answer `spend_to_date` or the bound column.
 * 0 when no report is accepted.
 */
export function grantSpendToDate(reports: readonly AcceptedReport[]): Pence {
  const latest = [...reports].sort(
    (a, b) => rank(b) - rank(a) || (b.reviewedAt ?? '').localeCompare(a.reviewedAt ?? ''),
  )[0];
  if (!latest) return 0;
  const answered = latest.answers?.spend_to_date;
  return typeof answered === 'number' && Number.isSafeInteger(answered) && answered >= 0
    ? answered
    : asCount(latest.spendToDatePence);
}

const rank = (r: AcceptedReport) => (r.kind === 'final' ? 1 : 0);

/**
 * Every count of the figures, mapped in one fixed order (the same for every figures of one
 * layout), with a path that names it (e.g. `characteristics.sex.female`, `referrals.in.police`).
 * Money and labels are copied as they are.
 */
export function mapCounts<A, B>(f: EvidenceFigures<A>, fn: (value: A, path: string) => B): EvidenceFigures<B> {
  return {
    grants: fn(f.grants, 'grants'),
    reportsAccepted: fn(f.reportsAccepted, 'reportsAccepted'),
    reportsOverdue: fn(f.reportsOverdue, 'reportsOverdue'),
    grantsOpenAfterEnd: fn(f.grantsOpenAfterEnd, 'grantsOpenAfterEnd'),
    peopleSupported: fn(f.peopleSupported, 'peopleSupported'),
    sessionsDelivered: fn(f.sessionsDelivered, 'sessionsDelivered'),
    newVolunteers: fn(f.newVolunteers, 'newVolunteers'),
    safeguarding: {
      raised: fn(f.safeguarding.raised, 'safeguarding.raised'),
      escalated: fn(f.safeguarding.escalated, 'safeguarding.escalated'),
    },
    characteristics: f.characteristics.map((t) => ({
      id: t.id,
      label: t.label,
      rows: t.rows.map((r) => ({
        value: r.value,
        label: r.label,
        count: fn(r.count, `characteristics.${t.id}.${r.value}`),
      })),
    })),
    referrals: {
      rows: f.referrals.rows.map((r) => ({
        value: r.value,
        label: r.label,
        out: fn(r.out, `referrals.out.${r.value}`),
        in: fn(r.in, `referrals.in.${r.value}`),
        costPence: r.costPence,
      })),
      totalOut: fn(f.referrals.totalOut, 'referrals.totalOut'),
      totalIn: fn(f.referrals.totalIn, 'referrals.totalIn'),
      totalCostPence: f.referrals.totalCostPence,
    },
    outcomes: f.outcomes.map((r) => ({ value: r.value, label: r.label, people: fn(r.people, `outcomes.${r.value}`) })),
  };
}
