import { actionCommandJsonSchema } from './action-command-docs';
import { ACTION_COMMANDS, actionCommandProblems, deskActions } from './action-commands';
import { LIFECYCLE_ACTIONS } from './lifecycle-action';

describe('action command schemas', () => {
  it('has one for every action', () => {
    expect(Object.keys(ACTION_COMMANDS).sort()).toEqual([...LIFECYCLE_ACTIONS].sort());
  });

  it('refuses a field of another action, naming it', () => {
    expect(actionCommandProblems('submit', { amountPence: 1, state: 'active' })).toEqual([
      { field: 'amountPence', message: 'property amountPence should not exist' },
      { field: 'state', message: 'property state should not exist' },
    ]);
    expect(actionCommandProblems('start-screening', { reason: 'x' }).map((p) => p.field)).toEqual(['reason']);
  });

  it('checks types and limits, leaving presence to the machine', () => {
    expect(actionCommandProblems('approve', {})).toEqual([]);
    expect(actionCommandProblems('mark-ineligible', { reason: '   ' })).toEqual([]);
    expect(actionCommandProblems('approve', { amountPence: 0 }).map((p) => p.field)).toEqual(['amountPence']);
    expect(actionCommandProblems('approve', { amountPence: 12.5 }).map((p) => p.field)).toEqual(['amountPence']);
    expect(actionCommandProblems('approve', { amountPence: '300' }).map((p) => p.field)).toEqual(['amountPence']);
    expect(actionCommandProblems('terminate', { reason: 'x', clawbackPence: 0 })).toEqual([]);
    expect(actionCommandProblems('reject', { reason: 'x'.repeat(5001) }).map((p) => p.field)).toEqual(['reason']);
    expect(actionCommandProblems('release-payment', { paymentId: 'p1' }).map((p) => p.field)).toEqual(['paymentId']);
    expect(actionCommandProblems('accept-offer', { acceptsTerms: 'true' }).map((p) => p.field)).toEqual([
      'acceptsTerms',
    ]);
    expect(
      actionCommandProblems('approve', {
        amountPence: 1,
        conditionDetails: [{ text: 'x', blocks: 'everything', colour: 'red' }],
      }).map((p) => p.field),
    ).toEqual(['conditionDetails.0.colour', 'conditionDetails.0.blocks']);
    expect(actionCommandProblems('approve', [])).toEqual([{ field: 'body', message: 'must be a JSON object' }]);
  });

  it('gives each action a JSON Schema that refuses unknown fields and lists the required ones', () => {
    expect(actionCommandJsonSchema('approve')).toMatchObject({
      type: 'object',
      additionalProperties: false,
      required: ['amountPence'],
      properties: { amountPence: { type: 'integer', minimum: 1 } },
    });
    expect(actionCommandJsonSchema('submit')).not.toHaveProperty('required');
  });

  it('offers on the desk the actions that have desk hints, each text or amount naming a field of its schema', () => {
    for (const { action, desk } of deskActions()) {
      const fields = Object.keys(ACTION_COMMANDS[action].fields);
      for (const f of [desk.text, desk.amount, desk.carries].filter(Boolean)) expect(fields).toContain(f);
    }
    expect(deskActions().map((d) => d.action)).toContain('approve');
    expect(deskActions().map((d) => d.action)).not.toContain('accept-offer');
  });
});
