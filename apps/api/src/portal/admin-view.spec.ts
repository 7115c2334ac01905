import { UseCaseError } from '@sg/domain';
import { eventFilter, eventRows, nextPageHref, roleOptions } from './admin-view';

const t = (key: string) => key;

describe('the administrators’ pages', () => {
  it('reads the security log’s filters, "to" including its whole day', () => {
    expect(
      eventFilter({ kind: 'user_disabled', person: ' a@b.example ', from: '2026-03-01', to: '2026-03-31' }, t),
    ).toEqual({
      kind: 'user_disabled',
      person: 'a@b.example',
      from: new Date('2026-03-01T00:00:00Z'),
      to: new Date('2026-04-01T00:00:00Z'),
      beforeId: undefined,
    });
    expect(eventFilter({ kind: '', before: '42' }, t)).toMatchObject({ kind: undefined, beforeId: '42' });
    expect(eventFilter({ before: '1; DROP TABLE' }, t).beforeId).toBeUndefined();
  });

  it('refuses a filter it cannot read as a field problem', () => {
    const field = (q: Record<string, string>) => {
      try {
        eventFilter(q, t);
        return null;
      } catch (e) {
        return (e as UseCaseError).fields[0].field;
      }
    };
    expect(field({ kind: 'nonsense' })).toBe('kind');
    expect(field({ from: '2026-02-30' })).toBe('from');
    expect(field({ to: 'yesterday' })).toBe('to');
  });

  it('links the next page with the same filters', () => {
    expect(nextPageHref({ kind: 'user_enabled', person: 'a+b@c.example', from: '', to: '2026-01-02' }, '17')).toBe(
      '/admin/security-events?kind=user_enabled&person=a%2Bb%40c.example&to=2026-01-02&before=17',
    );
  });

  it('shows events without secrets they never held, and staff roles only', () => {
    const [row] = eventRows(
      [
        {
          id: '1',
          occurred_at: new Date('2026-06-01T12:00:00Z'),
          kind: 'user_role_changed',
          actor_user_id: null,
          actor_name: null,
          subject_user_id: 'u',
          subject_name: 'Sam',
          organisation_id: null,
          address: '10.0.0.1',
          detail: { oldRole: 'officer', newRole: 'admin', newPartner: null },
        },
      ],
      t,
    );
    expect(row).toMatchObject({
      kind: 'securityEvents.kind.user_role_changed',
      actor: 'securityEvents.nobody',
      subject: 'Sam',
      detail: 'oldRole: officer, newRole: admin',
    });
    expect(roleOptions('officer', t).map((o) => o.value)).not.toContain('applicant');
  });
});
