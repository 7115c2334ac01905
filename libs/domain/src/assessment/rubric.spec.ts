import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { OrganisationFacts, RISK_TIERS, Rubric, rubricProblems, scoreAssessment, scoreProblems } from './rubric';

const rubric: Rubric = JSON.parse(
  readFileSync(join(__dirname, '../../../../config/rubrics/cleveland-pilot-rubric.v1.json'), 'utf8'),
);
const wellRun: OrganisationFacts = { hasSafeguardingLead: true, hasSafeguardingPolicy: true, ledByAndFor: true };
const all = (score: number) => Object.fromEntries(rubric.areas.map((a) => [a.id, score]));

describe('the pilot rubric', () => {
  it('is publishable, and each tier requires at least what the tier below does', () => {
    expect(rubricProblems(rubric)).toEqual([]);
    expect(rubricProblems({ ...rubric, tiers: { ...rubric.tiers, high: { referral_pathways: 1 } } })).toEqual(
      expect.arrayContaining(['tier high must require at least what medium requires of safeguarding']),
    );
  });

  it('asks more of riskier activities (docs/domain.md §5)', () => {
    const required = RISK_TIERS.map((t) => Object.keys(rubric.tiers[t]).length);
    expect(required).toEqual([...required].sort((a, b) => a - b));
    expect(rubric.tiers.high).toMatchObject({ risk_identification: 2, safety_planning: 2, referral_pathways: 3 });
    expect(rubric.tiers.low.risk_identification).toBeUndefined();
  });
});

describe('scoreAssessment: every tier at every boundary', () => {
  // For each tier and each required area: the minimum is met, one short is a gap a condition can
  // close, two short is not yet capable; everything else is held at 3.
  for (const tier of RISK_TIERS) {
    for (const [area, min] of Object.entries(rubric.tiers[tier])) {
      it(`${tier}: ${area} at ${min} is capable, at ${min - 1} capable with its condition, below that not yet capable`, () => {
        expect(scoreAssessment(rubric, tier, { ...all(3), [area]: min }, wellRun)).toMatchObject({
          outcome: 'capable',
          proposedConditions: [],
        });
        const gap = scoreAssessment(rubric, tier, { ...all(3), [area]: min - 1 }, wellRun);
        expect(gap.outcome).toBe('capable_with_conditions');
        expect(gap.proposedConditions).toEqual([
          { ...rubric.areas.find((a) => a.id === area)!.condition, source: `area:${area}` },
        ]);
        expect(gap.areas.find((a) => a.areaId === area)).toMatchObject({ status: 'gap', minimum: min });
        if (min >= 2) {
          const serious = scoreAssessment(rubric, tier, { ...all(3), [area]: min - 2 }, wellRun);
          expect(serious).toMatchObject({ outcome: 'not_yet_capable', proposedConditions: [] });
        }
      });
    }
    it(`${tier}: areas the tier does not require never count, even at 0`, () => {
      const notRequired = rubric.areas.map((a) => a.id).filter((id) => rubric.tiers[tier][id] === undefined);
      const scores = { ...all(3), ...Object.fromEntries(notRequired.map((id) => [id, 0])) };
      expect(scoreAssessment(rubric, tier, scores, wellRun).outcome).toBe('capable');
    });
    it(`${tier}: countersignature ${rubric.countersignTiers.includes(tier) ? 'required' : 'not required'}`, () => {
      expect(scoreAssessment(rubric, tier, all(3), wellRun).countersignRequired).toBe(tier === 'high');
    });
  }

  it('allows at most two one-point gaps to be met by conditions', () => {
    const [a, b, c] = Object.entries(rubric.tiers.high);
    const two = scoreAssessment(rubric, 'high', { ...all(3), [a[0]]: a[1] - 1, [b[0]]: b[1] - 1 }, wellRun);
    expect(two.outcome).toBe('capable_with_conditions');
    expect(two.proposedConditions).toHaveLength(2);
    const three = scoreAssessment(
      rubric,
      'high',
      { ...all(3), [a[0]]: a[1] - 1, [b[0]]: b[1] - 1, [c[0]]: c[1] - 1 },
      wellRun,
    );
    expect(three.outcome).toBe('not_yet_capable');
  });

  it('proposes "name a safeguarding lead" for medium and high activities when there is none, not for low', () => {
    const noLead = { ...wellRun, hasSafeguardingLead: false };
    for (const tier of ['medium', 'high'] as const) {
      const r = scoreAssessment(rubric, tier, all(3), noLead);
      expect(r.outcome).toBe('capable_with_conditions');
      expect(r.proposedConditions.map((c) => c.text)).toEqual(['Name a safeguarding lead before the first payment']);
      expect(r.proposedConditions[0]).toMatchObject({ blocks: 'first_payment', source: 'fact:no_safeguarding_lead' });
    }
    expect(scoreAssessment(rubric, 'low', all(3), noLead).outcome).toBe('capable');
  });

  it('is monotone: raising any score never makes the outcome worse', () => {
    const rank = { not_yet_capable: 0, capable_with_conditions: 1, capable: 2 };
    const areaIds = rubric.areas.map((a) => a.id);
    fc.assert(
      fc.property(
        fc.constantFrom(...RISK_TIERS),
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: areaIds.length, maxLength: areaIds.length }),
        fc.constantFrom(...areaIds),
        fc.record({
          hasSafeguardingLead: fc.boolean(),
          hasSafeguardingPolicy: fc.boolean(),
          ledByAndFor: fc.boolean(),
        }),
        (tier, values, raise, facts) => {
          const scores = Object.fromEntries(areaIds.map((id, i) => [id, values[i]]));
          const before = scoreAssessment(rubric, tier, scores, facts).outcome;
          const after = scoreAssessment(
            rubric,
            tier,
            { ...scores, [raise]: Math.min(3, scores[raise] + 1) },
            facts,
          ).outcome;
          return rank[after] >= rank[before];
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('scoreProblems', () => {
  it('wants every area scored 0–3 and no other', () => {
    expect(scoreProblems(rubric, all(2))).toEqual([]);
    const problems = scoreProblems(rubric, {
      ...all(2),
      safeguarding: 4,
      governance: 1.5,
      risk_identification: undefined,
      mood: 3,
    });
    expect(problems.map((p) => p.field).sort()).toEqual([
      'scores.governance',
      'scores.mood',
      'scores.risk_identification',
      'scores.safeguarding',
    ]);
  });
});
