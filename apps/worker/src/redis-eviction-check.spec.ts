import { evictionProblem, policyFromInfo } from './redis-eviction-check';

describe('evictionProblem', () => {
  it('accepts noeviction, whatever its case or spacing', () => {
    expect(evictionProblem('noeviction')).toBeNull();
    expect(evictionProblem(' NoEviction ')).toBeNull();
  });

  it.each([
    'allkeys-lru',
    'allkeys-lfu',
    'allkeys-random',
    'volatile-lru',
    'volatile-lfu',
    'volatile-random',
    'volatile-ttl',
  ])('refuses %s, saying what is wrong and how to fix it', (policy) => {
    const problem = evictionProblem(policy);
    expect(problem).toContain(`Redis maxmemory-policy is ${policy}: Redis may evict queue keys and lose jobs.`);
    expect(problem).toContain('CONFIG SET maxmemory-policy noeviction');
    expect(problem).toContain('redis.conf');
  });

  it('refuses a policy it could not read, since it cannot tell that it is safe', () => {
    for (const unknown of [null, undefined, '', '  ']) {
      expect(evictionProblem(unknown)).toMatch(/^Could not read Redis maxmemory-policy .* maxmemory-policy noeviction/);
    }
  });
});

describe('policyFromInfo', () => {
  it('reads maxmemory_policy from INFO memory', () => {
    const info =
      '# Memory\r\nused_memory:1016056\r\nmaxmemory:0\r\nmaxmemory_human:0B\r\nmaxmemory_policy:allkeys-lru\r\nallocator_frag_ratio:1.00\r\n';
    expect(policyFromInfo(info)).toBe('allkeys-lru');
  });

  it('gives null when the field is missing', () => {
    expect(policyFromInfo('# Memory\r\nused_memory:1016056\r\n')).toBeNull();
  });
});
