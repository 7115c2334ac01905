import { apiTokenRowsView } from './account-page';
import { Messages } from './messages';

const messages = new Messages();

describe('the account page’s token table', () => {
  it('prints each live token in London time, and "Never" for one not yet used', () => {
    const rows = apiTokenRowsView(
      [
        {
          id: 't1',
          name: 'Grants CRM',
          createdAt: new Date('2026-07-01T09:30:00Z'),
          expiresAt: new Date('2026-09-29T09:30:00Z'),
          lastUsedAt: new Date('2026-07-02T23:15:00Z'),
        },
        {
          id: 't2',
          name: 'Laptop',
          createdAt: new Date('2026-12-01T09:30:00Z'),
          expiresAt: new Date('2027-03-01T09:30:00Z'),
          lastUsedAt: null,
        },
      ],
      messages,
    );
    expect(rows).toEqual([
      {
        id: 't1',
        name: 'Grants CRM',
        created: '1 Jul 2026, 10:30',
        expires: '29 Sept 2026, 10:30',
        lastUsed: '3 Jul 2026, 00:15',
      },
      { id: 't2', name: 'Laptop', created: '1 Dec 2026, 09:30', expires: '1 Mar 2027, 09:30', lastUsed: 'Never' },
    ]);
  });
});
