/**
 * The risk-capability rubric (docs/domain.md §5): the applicant's capability is judged against the proposed
 * activity's risk tier, not in the abstract. Each area is scored 0–3. A tier names the areas it
 * needs and the minimum score for each; the outcome is computed from the gaps, and conditions are
 * proposed from them by rule. Versioned per fund in config/rubrics/.
 */
export const RISK_TIERS = ['low', 'medium', 'high'] as const;
export type RiskTier = (typeof RISK_TIERS)[number];

export const OUTCOMES = ['capable', 'capable_with_conditions', 'not_yet_capable'] as const;
export type CapabilityOutcome = (typeof OUTCOMES)[number];

/** What an open condition holds up: accepting the offer, the grant's start (and so its first payment), every payment, or nothing. */
export const CONDITION_BLOCKS = ['offer_acceptance', 'first_payment', 'payments', 'nothing'] as const;
export type ConditionBlocks = (typeof CONDITION_BLOCKS)[number];
/** What a condition holds up until it is met or waived: these hold up money. */
export const blocksPayment = (blocks: ConditionBlocks): boolean => blocks === 'first_payment' || blocks === 'payments';

export interface ConditionTemplate {
  text: string;
  evidence: string;
  blocks: ConditionBlocks;
  /** ISO-8601 duration after the decision, e.g. "P1M". */
  dueAfter: string;
}

export interface RubricArea {
  id: string;
  title: string;
  /** What a score of 0, 1, 2 and 3 looks like, for the officer. */
  levels: [string, string, string, string];
  /** Proposed when the area falls one point short of the tier's minimum. */
  condition: ConditionTemplate;
}

/** A condition proposed from a fact about the organisation rather than a score. */
export interface FactRule {
  fact: 'no_safeguarding_lead' | 'no_safeguarding_policy' | 'not_led_by_and_for';
  tiers: readonly RiskTier[];
  condition: ConditionTemplate;
}

export interface Rubric {
  key: string;
  version: number;
  title: string;
  areas: readonly RubricArea[];
  /** Per tier: the areas required and the minimum score in each. */
  tiers: Readonly<Record<RiskTier, Readonly<Record<string, number>>>>;
  /** At most this many one-point gaps can be met by conditions; more, or a bigger gap, is not yet capable. */
  maxConditionalGaps: number;
  factRules: readonly FactRule[];
  /** Tiers whose assessment needs a second officer's countersignature. */
  countersignTiers: readonly RiskTier[];
}

export type Scores = Readonly<Record<string, number>>;

export interface OrganisationFacts {
  hasSafeguardingLead: boolean;
  hasSafeguardingPolicy: boolean;
  ledByAndFor: boolean;
}

export interface AreaResult {
  areaId: string;
  score: number;
  /** The tier's minimum, or null when the tier does not require the area. */
  minimum: number | null;
  status: 'met' | 'not_required' | 'gap' | 'serious_gap';
}

export interface ScoredAssessment {
  outcome: CapabilityOutcome;
  areas: AreaResult[];
  proposedConditions: (ConditionTemplate & { source: string })[];
  countersignRequired: boolean;
}

/**
 * The computed outcome. A required area at its minimum or above is met; one point short is a gap a
 * condition can close; two or more short is a serious gap. Any serious gap, or more gaps than the
 * rubric allows, is "not yet capable". Otherwise any gap or fact rule that fires gives "capable
 * with conditions", proposing one condition each; nothing at all gives "capable".
 */
export function scoreAssessment(
  rubric: Rubric,
  tier: RiskTier,
  scores: Scores,
  facts: OrganisationFacts,
): ScoredAssessment {
  const areas = areaResults(rubric, tier, scores);
  const gaps = areas.filter((a) => a.status === 'gap');
  const serious = areas.some((a) => a.status === 'serious_gap');
  const proposedConditions: ScoredAssessment['proposedConditions'] = gaps.map((g) => ({
    ...rubric.areas.find((a) => a.id === g.areaId)!.condition,
    source: `area:${g.areaId}`,
  }));
  for (const rule of rubric.factRules) {
    const fires =
      rule.tiers.includes(tier) &&
      ((rule.fact === 'no_safeguarding_lead' && !facts.hasSafeguardingLead) ||
        (rule.fact === 'no_safeguarding_policy' && !facts.hasSafeguardingPolicy) ||
        (rule.fact === 'not_led_by_and_for' && !facts.ledByAndFor));
    if (fires && !proposedConditions.some((c) => c.text === rule.condition.text))
      proposedConditions.push({ ...rule.condition, source: `fact:${rule.fact}` });
  }
  const outcome: CapabilityOutcome =
    serious || gaps.length > rubric.maxConditionalGaps
      ? 'not_yet_capable'
      : proposedConditions.length > 0
        ? 'capable_with_conditions'
        : 'capable';
  return {
    outcome,
    areas,
    proposedConditions: outcome === 'not_yet_capable' ? [] : proposedConditions,
    countersignRequired: rubric.countersignTiers.includes(tier),
  };
}

/** Each area's score against the tier's minimum: met, not required, a gap (one short) or a serious gap. */
export function areaResults(rubric: Rubric, tier: RiskTier, scores: Scores): AreaResult[] {
  const required = rubric.tiers[tier];
  return rubric.areas.map((a) => {
    const score = scores[a.id];
    const minimum = required[a.id] ?? null;
    const status =
      minimum === null ? 'not_required' : score >= minimum ? 'met' : score === minimum - 1 ? 'gap' : 'serious_gap';
    return { areaId: a.id, score, minimum, status };
  });
}

/** Scores must cover every area with a whole number from 0 to 3; problems name the area. */
export function scoreProblems(
  rubric: Rubric,
  scores: Readonly<Record<string, unknown>>,
): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = [];
  for (const a of rubric.areas) {
    const s = scores[a.id];
    if (s === undefined || s === null)
      problems.push({ field: `scores.${a.id}`, message: `Score "${a.title}" from 0 to 3` });
    else if (typeof s !== 'number' || !Number.isInteger(s) || s < 0 || s > 3)
      problems.push({ field: `scores.${a.id}`, message: `"${a.title}" must be scored 0, 1, 2 or 3` });
  }
  for (const id of Object.keys(scores))
    if (!rubric.areas.some((a) => a.id === id))
      problems.push({ field: `scores.${id}`, message: 'This rubric has no such area' });
  return problems;
}

/** What is wrong with a rubric definition; empty when it can be published. */
export function rubricProblems(r: Rubric): string[] {
  const problems: string[] = [];
  const ids = new Set(r.areas.map((a) => a.id));
  if (ids.size !== r.areas.length) problems.push('area ids must be unique');
  if (r.areas.length === 0) problems.push('a rubric needs areas');
  for (const a of r.areas) if (a.levels?.length !== 4) problems.push(`area ${a.id}: describe the four levels 0–3`);
  for (const t of RISK_TIERS) {
    const req = r.tiers?.[t];
    if (!req) {
      problems.push(`tier ${t} is missing`);
      continue;
    }
    for (const [area, min] of Object.entries(req)) {
      if (!ids.has(area)) problems.push(`tier ${t}: unknown area ${area}`);
      if (!Number.isInteger(min) || min < 1 || min > 3)
        problems.push(`tier ${t}: minimum for ${area} must be 1, 2 or 3`);
    }
  }
  // A riskier activity must need at least what a less risky one needs.
  for (const [lower, higher] of [
    ['low', 'medium'],
    ['medium', 'high'],
  ] as const) {
    for (const [area, min] of Object.entries(r.tiers?.[lower] ?? {})) {
      if ((r.tiers?.[higher]?.[area] ?? 0) < min)
        problems.push(`tier ${higher} must require at least what ${lower} requires of ${area}`);
    }
  }
  if (!Number.isInteger(r.maxConditionalGaps) || r.maxConditionalGaps < 0)
    problems.push('maxConditionalGaps must be a whole number');
  return problems;
}
