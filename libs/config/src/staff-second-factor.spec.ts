import { loadConfig } from './app-config';

describe('STAFF_SECOND_FACTOR', () => {
  it('is required unless the environment relaxes it, and takes nothing but required or optional', () => {
    expect(loadConfig({}).STAFF_SECOND_FACTOR).toBe('required');
    expect(loadConfig({ STAFF_SECOND_FACTOR: 'optional' }).STAFF_SECOND_FACTOR).toBe('optional');
    expect(() => loadConfig({ STAFF_SECOND_FACTOR: 'off' })).toThrow(/STAFF_SECOND_FACTOR/);
  });
});
