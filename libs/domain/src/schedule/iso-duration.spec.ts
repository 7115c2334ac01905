import { addIsoDuration, isIsoDuration, parseIsoDuration } from './iso-duration';

describe('ISO-8601 durations', () => {
  it('parses the forms fund settings use and rejects others', () => {
    expect(parseIsoDuration('P1Y2M3W4D')).toEqual({ years: 1, months: 2, weeks: 3, days: 4 });
    for (const bad of ['P', '', '6M', 'P1.5M', 'PT1H', 'P-1D']) expect(isIsoDuration(bad)).toBe(false);
  });

  it('adds calendar months, clamping to the end of shorter months', () => {
    expect(addIsoDuration(new Date('2027-01-31T10:00:00Z'), 'P1M').toISOString()).toBe('2027-02-28T10:00:00.000Z');
    expect(addIsoDuration(new Date('2026-12-01T00:00:00Z'), 'P6M').toISOString()).toBe('2027-06-01T00:00:00.000Z');
    expect(addIsoDuration(new Date('2026-12-01T00:00:00Z'), 'P12M').toISOString()).toBe('2027-12-01T00:00:00.000Z');
    expect(addIsoDuration(new Date('2026-12-25T00:00:00Z'), 'P30D').toISOString()).toBe('2027-01-24T00:00:00.000Z');
  });
});
