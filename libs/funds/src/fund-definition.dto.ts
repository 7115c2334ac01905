import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  IsObject,
  ValidateNested,
} from 'class-validator';
import { feeShareProblems, LEGAL_FORMS, reminderOffsetProblems, ReminderOffsets } from '@sg/domain';

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const DURATION = /^P(?=\d)(?:\d+Y)?(?:\d+M)?(?:\d+W)?(?:\d+D)?$/;

export class AreaDto {
  /** A stable code, e.g. the ONS local authority code "E06000004". */
  @IsString() @Length(1, 40) code: string;
  @IsString() @Length(1, 120) name: string;
}

export class PartnerDto {
  @Matches(SLUG, { message: 'slug must be lower-case words joined by hyphens' }) @Length(1, 80) slug: string;
  @IsString() @Length(1, 200) name: string;
  /** The fund's area codes this partner covers. */
  @IsArray() @IsString({ each: true }) @ArrayMaxSize(100) areas: string[];
}

export class FunderDto {
  @Matches(SLUG, { message: 'slug must be lower-case words joined by hyphens' }) @Length(1, 80) slug: string;
  @IsString() @Length(1, 200) name: string;
}

export class PaymentTrancheDto {
  /** Percentage of the award paid in this tranche. */
  @IsInt() @Min(1) @Max(100) percent: number;
  @IsIn(['on_acceptance', 'on_interim_report_accepted']) trigger: 'on_acceptance' | 'on_interim_report_accepted';
}

export class FeeShareDto {
  /** The partner VDA's slug, as in `partners`. */
  @Matches(SLUG, { message: 'partner must be a partner slug' }) @Length(1, 80) partner: string;
  /** Its share of the management fee in basis points (2500 = a quarter); the managing VDA keeps the rest. */
  @IsInt() @Min(1) @Max(10_000) basisPoints: number;
}

export class ReportDueDto {
  @IsIn(['interim', 'final']) kind: 'interim' | 'final';
  /** ISO-8601 duration from the award's acceptance, e.g. "P6M". */
  @Matches(DURATION, { message: 'dueAfter must be an ISO-8601 duration such as P6M' }) dueAfter: string;
}

/**
 * Everything a fund is, as an administrator writes it (config/funds/*.json or POST /api/v1/funds).
 * Money is integer pence; the fee rate is in basis points (1500 = 15%).
 */
export class FundDefinitionDto {
  @Matches(SLUG, { message: 'slug must be lower-case words joined by hyphens' }) @Length(1, 80) slug: string;
  @IsString() @Length(1, 200) name: string;
  @IsIn(['GBP']) currency: 'GBP';
  @IsInt() @Min(1) @Max(100_000_000_000) totalPence: number;
  @IsInt() @Min(0) @Max(10_000) feeRateBasisPoints: number;
  @IsIn(['fund_total', 'awarded', 'disbursed']) feeBasis: 'fund_total' | 'awarded' | 'disbursed';
  @IsIn(['top_slice', 'on_top']) feeTreatment: 'top_slice' | 'on_top';
  @IsInt() @Min(1) @Max(100_000_000_000) maxPerOrganisationPence: number;
  @IsArray()
  @ArrayMaxSize(10)
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(10_000, { each: true })
  alertThresholdsBasisPoints: number[];
  @IsOptional() @IsISO8601({ strict: true }) opensOn?: string;
  @IsOptional() @IsISO8601({ strict: true }) closesOn?: string;
  @Matches(DURATION, { message: 'offerValidFor must be an ISO-8601 duration such as P30D' }) offerValidFor: string;
  /** The key of the application form (config/forms/); new applications use its newest version. */
  @IsOptional()
  @Matches(SLUG, { message: 'applicationForm must be a form key such as cleveland-pilot-application' })
  @Length(1, 80)
  applicationForm?: string;
  /** The key of the monitoring report form (config/forms/, purpose "report"); reports use its newest version when scheduled. */
  @IsOptional()
  @Matches(SLUG, { message: 'reportForm must be a form key such as cleveland-pilot-report' })
  @Length(1, 80)
  reportForm?: string;
  /** When the programme's funding period ends (YYYY-MM-DD): grants still open after it are flagged on the desk. */
  @IsOptional() @IsISO8601({ strict: true }) programmeEndsOn?: string;
  /** The key of the risk-capability rubric (config/rubrics/); assessments use its newest version. */
  @IsOptional()
  @Matches(SLUG, { message: 'rubric must be a rubric key such as cleveland-pilot-rubric' })
  @Length(1, 80)
  rubric?: string;
  /** Whether the officer who assessed an application may also approve it (default: no, someone else decides). */
  @IsOptional() @IsBoolean() approverMayBeAssessor?: boolean;
  /** Whether a payment's release needs a second, different officer to confirm it (default: no, one officer releases). */
  @IsOptional() @IsBoolean() paymentReleaseNeedsSecondOfficer?: boolean;
  /** Legal forms the fund accepts (screening checks it); omitted or empty: all. */
  @IsOptional() @IsArray() @ArrayMaxSize(6) @IsIn(LEGAL_FORMS, { each: true }) eligibleLegalForms?: string[];
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(12)
  @ValidateNested({ each: true })
  @Type(() => PaymentTrancheDto)
  paymentSchedule: PaymentTrancheDto[];
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(12)
  @ValidateNested({ each: true })
  @Type(() => ReportDueDto)
  reportSchedule: ReportDueDto[];
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(100) @ValidateNested({ each: true }) @Type(() => AreaDto) areas: AreaDto[];
  @ValidateNested() @Type(() => PartnerDto) managingOrganisation: PartnerDto;
  @IsArray() @ArrayMaxSize(50) @ValidateNested({ each: true }) @Type(() => PartnerDto) partners: PartnerDto[];
  @IsOptional() @ValidateNested() @Type(() => FunderDto) funder?: FunderDto;
  /** Shares of the management fee passed on to partner VDAs; omitted: the managing VDA keeps it all. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => FeeShareDto)
  feeShares?: FeeShareDto[];
  /**
   * When reminders go out, as ISO-8601 durations whose days are working days, e.g.
   * `{"reportDueSoonBefore": "P10D"}`; anything omitted keeps its default.
   */
  @IsOptional() @IsObject() reminders?: Partial<ReminderOffsets>;
}

/** Rules across fields that decorators cannot express; each problem names its field. */
export function fundDefinitionProblems(d: FundDefinitionDto): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = [];
  const percent = d.paymentSchedule.reduce((a, t) => a + t.percent, 0);
  if (percent !== 100)
    problems.push({ field: 'paymentSchedule', message: `tranches must add up to 100%, not ${percent}%` });
  if (d.maxPerOrganisationPence > d.totalPence) {
    problems.push({ field: 'maxPerOrganisationPence', message: 'must not exceed the fund total' });
  }
  if (d.opensOn && d.closesOn && d.closesOn < d.opensOn)
    problems.push({ field: 'closesOn', message: 'must not be before opensOn' });
  if (d.programmeEndsOn && d.opensOn && d.programmeEndsOn < d.opensOn)
    problems.push({ field: 'programmeEndsOn', message: 'must not be before opensOn' });
  if (d.reportSchedule.filter((r) => r.kind === 'final').length !== 1) {
    problems.push({ field: 'reportSchedule', message: 'must have exactly one final report' });
  }
  const codes = new Set(d.areas.map((a) => a.code));
  if (codes.size !== d.areas.length) problems.push({ field: 'areas', message: 'area codes must be unique' });
  [d.managingOrganisation, ...d.partners].forEach((p, i) => {
    const unknown = p.areas.filter((a) => !codes.has(a));
    if (unknown.length > 0) {
      problems.push({
        field: i === 0 ? 'managingOrganisation.areas' : `partners.${i - 1}.areas`,
        message: `unknown area codes: ${unknown.join(', ')}`,
      });
    }
  });
  const slugs = [d.managingOrganisation.slug, ...d.partners.map((p) => p.slug), ...(d.funder ? [d.funder.slug] : [])];
  if (new Set(slugs).size !== slugs.length)
    problems.push({ field: 'partners', message: 'partner slugs must be unique' });
  for (const message of feeShareProblems(
    d.feeShares ?? [],
    d.partners.map((p) => p.slug),
    d.managingOrganisation.slug,
  ))
    problems.push({ field: 'feeShares', message });
  problems.push(...reminderOffsetProblems(d.reminders ?? {}));
  return problems;
}
