import { Accounts } from '../../libs/identity/src/accounts';
import { createFund, TestFund } from '../support/funds';
import { PageSession } from '../support/page-session';
import { organisationProfile } from '../support/pilot';
import { TestStack, TestUser } from '../support/stack';

const PASSWORD = 'a long and memorable passphrase';

/**
 * Access you can take back (issue 14, item 1): administrators disable, re-enable and re-role staff;
 * organisation owners remove members, revoke invitations and hand ownership over; members leave.
 * Through the running app (pages and API) on PostgreSQL, with the security log read back.
 */
describe('staff accounts and organisation members', () => {
  let s: TestStack;
  let fund: TestFund;
  let admin: TestUser;
  let adminPages: PageSession;

  const signedIn = async (u: TestUser): Promise<PageSession> => {
    await s.api.get(Accounts).setVerifiedPassword(u.userId, PASSWORD);
    const p = new PageSession(s);
    await p.signIn(u.email, PASSWORD);
    return p;
  };
  const events = (kind: string, subjectUserId: string | null, organisationId?: string) =>
    s.ds.query(
      `SELECT actor_user_id, subject_user_id, organisation_id, detail FROM security_events
        WHERE kind = $1 AND ($2::uuid IS NULL OR subject_user_id = $2) AND ($3::uuid IS NULL OR organisation_id = $3) ORDER BY id`,
      [kind, subjectUserId, organisationId ?? null],
    );

  beforeAll(async () => {
    s = await TestStack.start();
    fund = await createFund(s);
    admin = await s.user('admin');
    adminPages = await signedIn(admin);
  });

  afterAll(async () => {
    await s?.stop();
  });

  describe('staff', () => {
    it('disables an officer at once (open page session, API token), and re-enabled they sign in again', async () => {
      const officer = await s.user('officer', fund.definition.managingOrganisation.slug);
      const officerPages = await signedIn(officer);
      expect((await officerPages.get('/account')).status).toBe(200);
      expect((await s.request('GET', '/api/v1/funds', officer.token)).status).toBe(200);

      // The administrator finds them on the list (with their last sign-in) and disables them there.
      const list = await adminPages.get('/admin/users');
      expect(list.status).toBe(200);
      expect(list.html).toContain(`/admin/users/${officer.userId}`);
      const listed = (await s.request('GET', '/api/v1/users', admin.token)).body.items.find(
        (u: any) => u.id === officer.userId,
      );
      expect(listed).toMatchObject({ role: 'officer', state: 'active', disabledAt: null });
      expect(listed.partnerOrganisation.slug).toBe(fund.definition.managingOrganisation.slug);
      expect(listed.lastSignedInAt).not.toBeNull();

      const noReason = await adminPages.post(
        `/admin/users/${officer.userId}/disable`,
        {},
        `/admin/users/${officer.userId}`,
      );
      expect(noReason.status).toBe(400);
      expect(noReason.html).toContain('govuk-error-summary');
      const disabled = await adminPages.post(
        `/admin/users/${officer.userId}/disable`,
        { reason: 'left_the_organisation' },
        `/admin/users/${officer.userId}`,
      );
      expect(disabled).toMatchObject({ status: 303, location: '/admin/users?done=disabled' });

      // Their open session is signed out on its next request; their token is refused.
      const next = await officerPages.get('/account');
      expect(next.status).toBe(303);
      const [{ n }] = await s.ds.query(`SELECT count(*)::int AS n FROM sessions WHERE sess->>'userId' = $1`, [
        officer.userId,
      ]);
      expect(n).toBe(0);
      expect((await s.request('GET', '/api/v1/funds', officer.token)).status).toBe(401);
      expect(await events('user_disabled', officer.userId)).toEqual([
        {
          actor_user_id: admin.userId,
          subject_user_id: officer.userId,
          organisation_id: null,
          detail: { reason: 'left_the_organisation' },
        },
      ]);
      expect((await s.request('GET', '/api/v1/users', admin.token)).body.items).toContainEqual(
        expect.objectContaining({ id: officer.userId, state: 'disabled', disabledReason: 'left_the_organisation' }),
      );

      // Re-enabled (through the API), they sign in again with their password.
      const enabled = await s.request('POST', `/api/v1/users/${officer.userId}/enable`, admin.token);
      expect(enabled.status).toBe(200);
      expect(enabled.body).toMatchObject({ state: 'active', disabledAt: null, disabledReason: null });
      const again = new PageSession(s);
      await again.signIn(officer.email, PASSWORD);
      expect((await again.get('/account')).status).toBe(200);
      expect((await events('user_enabled', officer.userId)).map((e: any) => e.actor_user_id)).toEqual([admin.userId]);
    });

    it('changes a role and partner organisation, recording the old and new role', async () => {
      const panel = await s.user('panel_member', fund.definition.managingOrganisation.slug);
      const partnerSlug = fund.definition.partners[0].slug;
      const missingPartner = await s.request('PATCH', `/api/v1/users/${panel.userId}`, admin.token, {
        role: 'partner_officer',
      });
      expect(missingPartner.status).toBe(400);
      const changed = await s.request('PATCH', `/api/v1/users/${panel.userId}`, admin.token, {
        role: 'partner_officer',
        partnerOrganisationSlug: partnerSlug,
      });
      expect(changed.status).toBe(200);
      expect(changed.body).toMatchObject({ role: 'partner_officer', partnerOrganisation: { slug: partnerSlug } });
      // The change holds at the person's next request: their token now acts as a partner officer.
      const [u] = await s.ds.query(`SELECT role FROM users WHERE id = $1`, [panel.userId]);
      expect(u.role).toBe('partner_officer');
      expect(await events('user_role_changed', panel.userId)).toEqual([
        expect.objectContaining({
          actor_user_id: admin.userId,
          detail: {
            oldRole: 'panel_member',
            newRole: 'partner_officer',
            oldPartner: fund.definition.managingOrganisation.slug,
            newPartner: partnerSlug,
          },
        }),
      ]);
      // Through the page: an administrator works for no partner organisation.
      const toAdmin = await adminPages.post(
        `/admin/users/${panel.userId}`,
        { role: 'admin', partnerOrganisationSlug: partnerSlug },
        `/admin/users/${panel.userId}`,
      );
      expect(toAdmin.status).toBe(303);
      const [after] = await s.ds.query(`SELECT role, partner_organisation_id FROM users WHERE id = $1`, [panel.userId]);
      expect(after).toEqual({ role: 'admin', partner_organisation_id: null });
    });

    it('invites a staff member from the page, recording who did', async () => {
      const email = `invited-staff-${s.suffix}@catalyst.example`;
      const r = await adminPages.post(
        '/admin/users',
        {
          displayName: 'Ivy Invited',
          email,
          role: 'funder_viewer',
          partnerOrganisationSlug: fund.definition.funder.slug,
        },
        '/admin/users/new',
      );
      expect(r).toMatchObject({ status: 303, location: '/admin/users?done=invited' });
      const [u] = await s.ds.query(`SELECT id, role FROM users WHERE lower(email) = lower($1)`, [email]);
      expect(u.role).toBe('funder_viewer');
      expect(await events('user_created', u.id)).toEqual([
        expect.objectContaining({
          actor_user_id: admin.userId,
          detail: { role: 'funder_viewer', partner: fund.definition.funder.slug },
        }),
      ]);
      const list = await adminPages.get('/admin/users');
      expect(list.html).toContain('Ivy Invited');
      expect(list.html).toContain('Invited');
      // The same address again: the form says so.
      const twice = await adminPages.post(
        '/admin/users',
        { displayName: 'Ivy Again', email, role: 'admin', partnerOrganisationSlug: '' },
        '/admin/users/new',
      );
      expect(twice.status).toBe(409);
      expect(twice.html).toContain('govuk-error-summary');
    });

    it('refuses an administrator taking administration from themselves', async () => {
      const self = await s.request('POST', `/api/v1/users/${admin.userId}/disable`, admin.token, {
        reason: 'no_longer_needs_access',
      });
      expect(self.status).toBe(409);
      const demote = await s.request('PATCH', `/api/v1/users/${admin.userId}`, admin.token, {
        role: 'officer',
        partnerOrganisationSlug: fund.definition.managingOrganisation.slug,
      });
      expect(demote.status).toBe(409);
      expect(demote.body.code).toBe('cannot_demote_self');
      const [u] = await s.ds.query(`SELECT role, disabled_at FROM users WHERE id = $1`, [admin.userId]);
      expect(u).toEqual({ role: 'admin', disabled_at: null });
      // The page says why instead of a button: an administrator's own page offers no "disable".
      const own = await adminPages.get(`/admin/users/${admin.userId}`);
      expect(own.status).toBe(200);
      expect(own.html).not.toContain(`/admin/users/${admin.userId}/disable`);
    });

    it('keeps staff administration and the security log from everyone but administrators', async () => {
      const officer = await s.user('officer', fund.definition.managingOrganisation.slug);
      const applicant = await s.user('applicant');
      for (const u of [officer, applicant]) {
        const pages = await signedIn(u);
        for (const path of [
          '/admin/users',
          '/admin/users/new',
          `/admin/users/${admin.userId}`,
          '/admin/security-events',
        ])
          expect([path, (await pages.get(path)).status]).toEqual([path, 403]);
        const post = await pages.post(
          `/admin/users/${officer.userId}/disable`,
          { reason: 'left_the_organisation' },
          '/account',
        );
        expect(post.status).toBe(403);
        expect((await pages.get('/admin/security-events?kind=nonsense')).status).toBe(403);
        expect((await s.request('GET', '/api/v1/users', u.token)).status).toBe(403);
        expect(
          (
            await s.request('POST', `/api/v1/users/${admin.userId}/disable`, u.token, {
              reason: 'left_the_organisation',
            })
          ).status,
        ).toBe(403);
        expect((await s.request('PATCH', `/api/v1/users/${officer.userId}`, u.token, { role: 'admin' })).status).toBe(
          403,
        );
      }
      const [d] = await s.ds.query(`SELECT disabled_at FROM users WHERE id = $1`, [officer.userId]);
      expect(d.disabled_at).toBeNull();
      // An administrator lands on a page that links to both.
      const home = await adminPages.get('/');
      expect(home.html).toContain('href="/admin/users"');
      expect(home.html).toContain('href="/admin/security-events"');
    });

    it('lists security events with filters and a next page', async () => {
      const page = await adminPages.get(
        `/admin/security-events?kind=user_disabled&person=${encodeURIComponent(admin.email)}`,
      );
      expect(page.status).toBe(200);
      expect(page.html).toContain('Account disabled');
      const bad = await adminPages.get('/admin/security-events?from=2026-02-31&kind=nonsense');
      expect(bad.status).toBe(400);
      expect(bad.html).toContain('govuk-error-summary');
      const nobody = await adminPages.get('/admin/security-events?person=nobody%40nowhere.example');
      expect(nobody.status).toBe(400);
      // Enough events for two pages: the link carries the filters and the last id shown.
      await s.ds.query(
        `INSERT INTO security_events (kind, actor_user_id, subject_user_id, detail) SELECT 'user_enabled', $1, $1, '{}' FROM generate_series(1, 51)`,
        [admin.userId],
      );
      const first = await adminPages.get(
        `/admin/security-events?kind=user_enabled&person=${encodeURIComponent(admin.email)}`,
      );
      const next = /href="([^"]+)" rel="next"/
        .exec(first.html)?.[1]
        ?.replace(/&amp;/g, '&')
        .replace(/&#x3D;/g, '=');
      expect(next).toMatch(/^\/admin\/security-events\?kind=user_enabled&person=.+&before=\d+$/);
      const second = await adminPages.get(next!);
      expect(second.status).toBe(200);
      const [{ n }] = await s.ds.query(
        `SELECT count(*)::int AS n FROM security_events WHERE kind = 'user_enabled' AND $1 IN (actor_user_id, subject_user_id)`,
        [admin.userId],
      );
      expect((second.html.match(/govuk-table__row/g) ?? []).length).toBe(1 + n - 50); // the header and the rest
      const to = new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10);
      const none = await adminPages.get(
        `/admin/security-events?kind=user_enabled&to=${to}&person=${encodeURIComponent(admin.email)}`,
      );
      expect(none.html).toContain('No events match.');
    });
  });

  describe('members', () => {
    let owner: TestUser;
    let ownerPages: PageSession;
    let orgId: string;

    /** Invites the person and returns the token of the emailed link. */
    const invite = async (u: TestUser): Promise<{ id: string; token: string }> => {
      const r = await s.request('POST', `/api/v1/organisations/${orgId}/invitations`, owner.token, { email: u.email });
      expect(r.status).toBe(201);
      await s.smtp.waitFor(() => s.smtp.to(u.email).length > 0);
      const token = /\/invitations\/([\w-]+)/.exec(s.smtp.to(u.email)[0].text)![1];
      return { id: r.body.id, token };
    };
    const join = async (u: TestUser): Promise<PageSession> => {
      const { token } = await invite(u);
      const pages = await signedIn(u);
      const r = await pages.post(`/invitations/${token}`, {}, `/invitations/${token}`);
      expect(r.status).toBe(303);
      return pages;
    };

    beforeAll(async () => {
      owner = await s.user('applicant');
      ownerPages = await signedIn(owner);
      const org = await s.request(
        'POST',
        '/api/v1/organisations',
        owner.token,
        organisationProfile({ name: `Members Circle ${s.suffix}`, registrationNumber: '', legalForm: 'other' }),
      );
      expect(org.status).toBe(201);
      orgId = org.body.id;
    });

    it('removes a member, who then gets 404 on the organisation’s applications (API and page)', async () => {
      const member = await s.user('applicant');
      const memberPages = await join(member);
      const draft = await s.request('POST', '/api/v1/applications', owner.token, {
        fundId: fund.id,
        organisationId: orgId,
      });
      expect(draft.status).toBe(201);
      expect((await s.request('GET', `/api/v1/applications/${draft.body.id}`, member.token)).status).toBe(200);
      expect((await memberPages.get(`/applications/${draft.body.id}`)).status).toBe(200);

      // A member who is not the owner cannot remove anyone.
      expect(
        (await s.request('DELETE', `/api/v1/organisations/${orgId}/members/${owner.userId}`, member.token)).status,
      ).toBe(403);
      const removed = await ownerPages.post(
        `/organisations/${orgId}/members/${member.userId}/remove`,
        {},
        `/organisations/${orgId}`,
      );
      expect(removed).toMatchObject({ status: 303, location: `/organisations/${orgId}?done=removed` });

      expect((await s.request('GET', `/api/v1/applications/${draft.body.id}`, member.token)).status).toBe(404);
      expect((await memberPages.get(`/applications/${draft.body.id}`)).status).toBe(404);
      expect((await s.request('GET', `/api/v1/organisations/${orgId}`, member.token)).status).toBe(404);
      expect((await memberPages.get(`/organisations/${orgId}`)).status).toBe(404);
      expect(await events('member_removed', member.userId, orgId)).toEqual([
        { actor_user_id: owner.userId, subject_user_id: member.userId, organisation_id: orgId, detail: {} },
      ]);
    });

    it('revokes an invitation, whose link is then refused', async () => {
      const invitee = await s.user('applicant');
      const { id, token } = await invite(invitee);
      const revoked = await s.request('DELETE', `/api/v1/organisations/${orgId}/invitations/${id}`, owner.token);
      expect(revoked.status).toBe(200);
      expect(revoked.body.invitations.map((i: any) => i.id)).not.toContain(id);
      const members = await s.request('GET', `/api/v1/organisations/${orgId}/members`, owner.token);
      expect(members.body.invitations.map((i: any) => i.id)).not.toContain(id);
      // Revoking it again finds no open invitation.
      expect((await s.request('DELETE', `/api/v1/organisations/${orgId}/invitations/${id}`, owner.token)).status).toBe(
        404,
      );

      const pages = await signedIn(invitee);
      const accept = await pages.post(`/invitations/${token}`, {}, `/invitations/${token}`);
      expect(accept.status).toBe(404);
      expect(accept.html).toContain('withdrawn');
      const [m] = await s.ds.query(`SELECT 1 FROM organisation_members WHERE organisation_id = $1 AND user_id = $2`, [
        orgId,
        invitee.userId,
      ]);
      expect(m).toBeUndefined();
      expect(await events('invitation_revoked', null, orgId)).toEqual([
        { actor_user_id: owner.userId, subject_user_id: null, organisation_id: orgId, detail: { invitationId: id } },
      ]);
    });

    it('hands ownership to another member; the old owner may then leave, the new sole owner may not', async () => {
      const next = await s.user('applicant');
      const nextPages = await join(next);

      // The owner cannot leave while they own it, and is told why.
      const refused = await ownerPages.post(`/organisations/${orgId}/leave`, {}, `/organisations/${orgId}`);
      expect(refused.status).toBe(409);
      expect(refused.html).toContain('hand ownership to another member');

      const handed = await ownerPages.post(
        `/organisations/${orgId}/ownership`,
        { userId: next.userId },
        `/organisations/${orgId}`,
      );
      expect(handed).toMatchObject({ status: 303, location: `/organisations/${orgId}?done=handedOver` });
      const roles = (await s.request('GET', `/api/v1/organisations/${orgId}/members`, next.token)).body.members;
      expect(Object.fromEntries(roles.map((m: any) => [m.userId, m.role]))).toEqual({
        [owner.userId]: 'member',
        [next.userId]: 'owner',
      });
      expect(await events('ownership_transferred', next.userId, orgId)).toEqual([
        expect.objectContaining({ actor_user_id: owner.userId }),
      ]);
      // The old owner no longer acts as one.
      expect(
        (await s.request('POST', `/api/v1/organisations/${orgId}/ownership`, owner.token, { userId: owner.userId }))
          .status,
      ).toBe(403);

      const left = await s.request('POST', `/api/v1/organisations/${orgId}/leave`, owner.token);
      expect(left.status).toBe(200);
      expect(left.body.items.map((o: any) => o.id)).not.toContain(orgId);
      expect((await s.request('GET', `/api/v1/organisations/${orgId}`, owner.token)).status).toBe(404);
      expect(await events('member_left', owner.userId, orgId)).toEqual([
        expect.objectContaining({ actor_user_id: owner.userId }),
      ]);

      const sole = await s.request('POST', `/api/v1/organisations/${orgId}/leave`, next.token);
      expect(sole.status).toBe(409);
      expect(sole.body.code).toBe('owner_cannot_leave');
      expect((await nextPages.get(`/organisations/${orgId}`)).status).toBe(200);
    });
  });
});
