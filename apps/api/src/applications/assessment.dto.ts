import { IsBoolean, IsIn, IsInt, IsObject, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { OUTCOMES, RISK_TIERS } from '@sg/domain';
import type { CapabilityOutcome, RiskTier } from '@sg/domain';

export class AssessmentDto {
  /** The activity's risk tier as the officer judges it; defaults to the applicant's declaration. */
  @IsOptional() @IsIn(RISK_TIERS) riskTier?: RiskTier;
  /** A score of 0–3 for every area of the fund's rubric, by area id (see GET …/assessment). */
  @IsObject() scores: Record<string, number>;
  /** Evidence notes by area id. */
  @IsOptional() @IsObject() notes?: Record<string, string>;
  /** An outcome other than the computed one; needs overrideReason. */
  @IsOptional() @IsIn(OUTCOMES) overrideOutcome?: CapabilityOutcome;
  @IsOptional() @IsString() @Length(1, 2000) overrideReason?: string;
  /** The amount the assessor recommends the panel awards (pence, at most the amount asked for). */
  @IsOptional() @IsInt() @Min(1) @Max(100_000_000_000) recommendedPence?: number;
}

export class NoteDto {
  /** An internal note; applicants never see it. */
  @IsString() @Length(1, 5000) body: string;
}

export class ResolveConditionDto {
  /** met: the evidence seen; waived: the reason. */
  @IsString() @Length(1, 2000) note: string;
}

export class ConflictDeclarationDto {
  /** True if you have a conflict of interest in this application (you then cannot see its assessment or decide it). */
  @IsBoolean() conflicted: boolean;
  @IsOptional() @IsString() @Length(0, 1000) note?: string;
}
