import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  Actor,
  can,
  checkRegistrationNumber,
  DuplicateReason,
  FieldProblem,
  isEthnicGroup,
  LEGAL_FORMS,
  LegalForm,
  normalisePostcode,
  organisationNameKey,
  UseCaseError,
} from '@sg/domain';
import { enqueueAccountEmail } from '@sg/notifications';
import { OrganisationEntity, PG_UNIQUE_VIOLATION, pgErrorCode, visibilityClause } from '@sg/persistence';
import { DataSource, EntityManager } from 'typeorm';

export { LEGAL_FORMS };
export type { LegalForm };

/** An organisation's profile as an applicant gives it (API body or portal form). */
export interface OrganisationProfile {
  name: string;
  legalForm: LegalForm;
  registrationNumber?: string | null;
  addressLine1?: string | null;
  addressLine2?: string | null;
  town?: string | null;
  postcode?: string | null;
  areaCode: string;
  communitiesServed?: string[];
  communitiesOther?: string | null;
  languages?: string[];
  ledByAndFor?: boolean | null;
  ledByAndForStatement?: string | null;
  safeguardingLeadName?: string | null;
  safeguardingLeadRole?: string | null;
}

export interface OrganisationView {
  id: string;
  name: string;
  legalForm: string;
  registrationNumber: string | null;
  addressLine1: string | null;
  addressLine2: string | null;
  town: string | null;
  postcode: string | null;
  areaCode: string;
  communitiesServed: string[];
  communitiesOther: string | null;
  languages: string[];
  ledByAndFor: boolean | null;
  ledByAndForStatement: string | null;
  safeguardingLeadName: string | null;
  safeguardingLeadRole: string | null;
  /** The caller's role in it, for members. */
  yourRole?: 'owner' | 'member';
  /** Officers only: organisations this one appears to duplicate, and why. */
  duplicateFlags?: { organisationId: string; name: string; reason: DuplicateReason }[];
  createdAt: string;
}

/**
 * Applicant organisations: the profile, its members and invitations, and duplicate detection.
 * A second registration of the same group (same registration number, or same name at the same
 * postcode) is kept, flagged for officers, and linked to the first, so that the fund's cap on
 * awards counts both as one.
 */
@Injectable()
export class Organisations {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async create(actor: Actor, profile: OrganisationProfile): Promise<OrganisationView> {
    if (!can(actor.role, 'apply-for-organisation'))
      throw new UseCaseError('forbidden', 'role_not_permitted', 'Only applicants register organisations');
    const clean = await this.checked(profile);
    return this.dataSource.transaction(async (m) => {
      const [row] = await m.query(
        `INSERT INTO organisations (name, legal_form, registration_number, area_code, postcode, created_by, name_key) VALUES ($1, $2, $3, $4, $5, $6, '') RETURNING id`,
        [clean.name, clean.legalForm, clean.registrationNumber, clean.areaCode, clean.postcode, actor.userId],
      );
      await this.writeProfile(m, row.id, clean);
      await m.query(`INSERT INTO organisation_members (organisation_id, user_id, role) VALUES ($1, $2, 'owner')`, [
        row.id,
        actor.userId,
      ]);
      await this.flagDuplicates(m, row.id);
      return this.view(m, actor, row.id);
    });
  }

  async update(actor: Actor, id: string, profile: OrganisationProfile): Promise<OrganisationView> {
    await this.requireMember(actor, id);
    const clean = await this.checked(profile);
    return this.dataSource.transaction(async (m) => {
      await this.writeProfile(m, id, clean);
      await this.flagDuplicates(m, id);
      return this.view(m, actor, id);
    });
  }

  async mine(actor: Actor): Promise<OrganisationView[]> {
    if (!can(actor.role, 'apply-for-organisation')) return [];
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT o.id FROM organisations o JOIN organisation_members om ON om.organisation_id = o.id WHERE om.user_id = $1 ORDER BY o.created_at`,
      [actor.userId],
    );
    const out: OrganisationView[] = [];
    for (const r of rows) out.push(await this.view(this.dataSource.manager, actor, r.id));
    return out;
  }

  /** Members see their organisation; a fund's officers see organisations that applied to it. Anyone else: 404. */
  /**
   * Members see their organisation; staff see it exactly when they can see one of its
   * applications (the same rule as the applications themselves: a partner officer only in their
   * own areas, the panel only what awaits or had a decision).
   */
  async get(actor: Actor, id: string): Promise<OrganisationView> {
    const visible = can(actor.role, 'apply-for-organisation') ? null : visibilityClause(actor);
    const [ok] = can(actor.role, 'apply-for-organisation')
      ? await this.dataSource.query(`SELECT 1 FROM organisation_members WHERE organisation_id = $1 AND user_id = $2`, [
          id,
          actor.userId,
        ])
      : visible && can(actor.role, 'view-applicant-organisations')
        ? await this.dataSource.query(
            `SELECT 1 FROM applications a WHERE ${visible.sql} AND a.organisation_id = $${visible.params.length + 1} LIMIT 1`,
            [...visible.params, id],
          )
        : [];
    if (!ok) throw UseCaseError.notFound('The organisation');
    return this.view(this.dataSource.manager, actor, id);
  }

  async members(
    actor: Actor,
    id: string,
  ): Promise<{
    members: { userId: string; displayName: string; email: string; role: string }[];
    invitations: { id: string; email: string; createdAt: string }[];
  }> {
    await this.requireMember(actor, id);
    const members = await this.dataSource.query(
      `SELECT u.id AS "userId", u.display_name AS "displayName", u.email, om.role FROM organisation_members om JOIN users u ON u.id = om.user_id
       WHERE om.organisation_id = $1 ORDER BY om.created_at`,
      [id],
    );
    const invitations = await this.dataSource.query(
      `SELECT id, email, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "createdAt" FROM organisation_invitations
       WHERE organisation_id = $1 AND accepted_at IS NULL AND revoked_at IS NULL ORDER BY created_at`,
      [id],
    );
    return { members, invitations };
  }

  /** The owner invites someone by email; the email carries a single-use link. */
  async invite(actor: Actor, id: string, email: string): Promise<{ id: string; email: string }> {
    const role = await this.requireMember(actor, id);
    if (role !== 'owner')
      throw new UseCaseError('forbidden', 'not_owner', 'Only the organisation’s owner can invite members');
    const address = email.trim();
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(address) || address.length > 254) {
      throw new UseCaseError(
        'invalid',
        'validation_failed',
        'Enter an email address in the correct format, like name@example.org',
        [{ field: 'email', message: 'Enter an email address in the correct format, like name@example.org' }],
      );
    }
    const [already] = await this.dataSource.query(
      `SELECT 1 FROM organisation_members om JOIN users u ON u.id = om.user_id WHERE om.organisation_id = $1 AND lower(u.email) = lower($2)`,
      [id, address],
    );
    if (already)
      throw new UseCaseError('conflict', 'already_member', 'That person is already a member', [
        { field: 'email', message: 'That person is already a member' },
      ]);
    try {
      return await this.dataSource.transaction(async (m) => {
        const [inv] = await m.query(
          `INSERT INTO organisation_invitations (organisation_id, email, invited_by) VALUES ($1, $2, $3) RETURNING id`,
          [id, address, actor.userId],
        );
        await enqueueAccountEmail(m, {
          template: 'invitation',
          dedupeKey: `invitation:${inv.id}`,
          invitationId: inv.id,
        });
        return { id: inv.id, email: address };
      });
    } catch (err) {
      if (pgErrorCode(err) === PG_UNIQUE_VIOLATION) {
        throw new UseCaseError('conflict', 'already_invited', 'That person has already been invited', [
          { field: 'email', message: 'That person has already been invited' },
        ]);
      }
      throw err;
    }
  }

  /**
   * Joins the organisation named by an invitation whose token was just used. The invitation is for
   * an address: only the account with that address may accept it.
   */
  async acceptInvitation(m: EntityManager, actor: Actor, invitationId: string): Promise<{ organisationId: string }> {
    const [inv] = await m.query(
      `SELECT i.organisation_id, (lower(i.email) = lower(u.email)) AS same_address FROM organisation_invitations i, users u
       WHERE i.id = $1 AND u.id = $2 AND i.accepted_at IS NULL AND i.revoked_at IS NULL FOR UPDATE OF i`,
      [invitationId, actor.userId],
    );
    if (!inv) throw new UseCaseError('not_found', 'invitation_not_found', 'This invitation has been used or withdrawn');
    if (!inv.same_address || !can(actor.role, 'apply-for-organisation')) {
      throw new UseCaseError(
        'forbidden',
        'invitation_for_someone_else',
        'This invitation was sent to a different email address. Sign in with that address to accept it.',
      );
    }
    await m.query(`UPDATE organisation_invitations SET accepted_at = now(), accepted_by = $2 WHERE id = $1`, [
      invitationId,
      actor.userId,
    ]);
    await m.query(
      `INSERT INTO organisation_members (organisation_id, user_id, role) VALUES ($1, $2, 'member') ON CONFLICT DO NOTHING`,
      [inv.organisation_id, actor.userId],
    );
    return { organisationId: inv.organisation_id };
  }

  /** The caller's role in the organisation; 404 for anyone who is not a member. */
  async requireMember(actor: Actor, id: string): Promise<'owner' | 'member'> {
    const [row] = can(actor.role, 'apply-for-organisation')
      ? await this.dataSource.query(
          'SELECT role FROM organisation_members WHERE organisation_id = $1 AND user_id = $2',
          [id, actor.userId],
        )
      : [];
    if (!row) throw UseCaseError.notFound('The organisation');
    return row.role;
  }

  /** Every field checked at once, so a form can show every problem together. */
  private async checked(p: OrganisationProfile): Promise<Clean> {
    const problems: FieldProblem[] = [];
    const text = (field: keyof OrganisationProfile, max: number, required: boolean, message: string): string | null => {
      const v = typeof p[field] === 'string' ? (p[field] as string).trim().replace(/\s+/g, ' ') : '';
      if (v === '' && required) problems.push({ field, message });
      else if (v.length > max) problems.push({ field, message: `Use ${max} characters or fewer` });
      return v === '' ? null : v;
    };
    const name = text('name', 200, true, 'Enter the organisation’s name');
    if (!(LEGAL_FORMS as readonly string[]).includes(p.legalForm))
      problems.push({ field: 'legalForm', message: 'Select the organisation’s legal form' });
    const reg = (LEGAL_FORMS as readonly string[]).includes(p.legalForm)
      ? checkRegistrationNumber(p.legalForm, p.registrationNumber)
      : { ok: true as const, normalised: null };
    if (!reg.ok) problems.push({ field: 'registrationNumber', message: reg.message });
    const addressLine1 = text('addressLine1', 200, true, 'Enter the first line of the address');
    const addressLine2 = text('addressLine2', 200, false, '');
    const town = text('town', 100, true, 'Enter the town or city');
    const postcode = normalisePostcode(p.postcode);
    if (!postcode) problems.push({ field: 'postcode', message: 'Enter a real postcode, like TS18 1AA' });
    const areas = await this.knownAreas();
    if (!areas.has(p.areaCode))
      problems.push({ field: 'areaCode', message: 'Select the area where the organisation works' });
    const communities = [...new Set(p.communitiesServed ?? [])];
    if (communities.some((c) => !isEthnicGroup(c)))
      problems.push({ field: 'communitiesServed', message: 'Select only the communities listed' });
    const communitiesOther = text('communitiesOther', 300, false, '');
    if (communities.length === 0 && !communitiesOther)
      problems.push({
        field: 'communitiesServed',
        message: 'Select the communities you serve, or describe them in your own words',
      });
    const languages = [...new Set((p.languages ?? []).map((l) => l.trim()).filter((l) => l !== ''))];
    if (languages.length === 0)
      problems.push({ field: 'languages', message: 'Enter at least one language you work in' });
    if (languages.length > 30 || languages.some((l) => l.length > 60))
      problems.push({ field: 'languages', message: 'List up to 30 languages of up to 60 characters each' });
    if (typeof p.ledByAndFor !== 'boolean')
      problems.push({
        field: 'ledByAndFor',
        message: 'Select yes if the organisation is led by and for the communities it serves',
      });
    const ledByAndForStatement = text(
      'ledByAndForStatement',
      2000,
      p.ledByAndFor === true,
      'Tell us how your leadership is drawn from the communities you serve',
    );
    const safeguardingLeadName = text('safeguardingLeadName', 200, false, '');
    const safeguardingLeadRole = text(
      'safeguardingLeadRole',
      200,
      safeguardingLeadName !== null,
      'Enter the safeguarding lead’s role',
    );
    if (problems.length > 0)
      throw new UseCaseError('invalid', 'validation_failed', 'The organisation’s details need correcting', problems);
    return {
      name: name!,
      legalForm: p.legalForm,
      registrationNumber: reg.ok ? reg.normalised : null,
      addressLine1,
      addressLine2,
      town,
      postcode: postcode!,
      areaCode: p.areaCode,
      communitiesServed: communities,
      communitiesOther,
      languages,
      ledByAndFor: p.ledByAndFor as boolean,
      ledByAndForStatement: p.ledByAndFor ? ledByAndForStatement : null,
      safeguardingLeadName,
      safeguardingLeadRole,
    };
  }

  /** Areas that some fund covers: an organisation outside all of them could apply nowhere. */
  async knownAreas(): Promise<Map<string, string>> {
    const rows: { code: string; name: string }[] = await this.dataSource.query(
      `SELECT DISTINCT a->>'code' AS code, a->>'name' AS name FROM funds, jsonb_array_elements(areas) a ORDER BY 2`,
    );
    return new Map(rows.map((r) => [r.code, r.name]));
  }

  private async writeProfile(m: EntityManager, id: string, c: Clean): Promise<void> {
    await m.query(
      `UPDATE organisations SET name = $2, legal_form = $3, registration_number = $4, address_line_1 = $5, address_line_2 = $6, town = $7,
         postcode = $8, area_code = $9, communities_served = $10, communities_other = $11, languages = $12, led_by_and_for = $13,
         led_by_and_for_statement = $14, safeguarding_lead_name = $15, safeguarding_lead_role = $16, name_key = $17, updated_at = now()
       WHERE id = $1`,
      [
        id,
        c.name,
        c.legalForm,
        c.registrationNumber,
        c.addressLine1,
        c.addressLine2,
        c.town,
        c.postcode,
        c.areaCode,
        c.communitiesServed,
        c.communitiesOther,
        c.languages,
        c.ledByAndFor,
        c.ledByAndForStatement,
        c.safeguardingLeadName,
        c.safeguardingLeadRole,
        organisationNameKey(c.name),
      ],
    );
  }

  /**
   * Flags every organisation that looks like this one, whichever registered first, and links the
   * newer of each pair to the older one's group (the "real" organisation, whose awards the cap
   * counts together). Links always point to an older organisation, so they cannot form a cycle.
   * Flags are never removed here: an officer decides whether a match is real.
   */
  private async flagDuplicates(m: EntityManager, id: string): Promise<void> {
    const matches: {
      id: string;
      other_is_older: boolean;
      other_root: string;
      my_root: string;
      reason: DuplicateReason;
    }[] = await m.query(
      `SELECT other.id, (other.created_at, other.id) < (me.created_at, me.id) AS other_is_older,
              coalesce(other.duplicate_of, other.id) AS other_root, coalesce(me.duplicate_of, me.id) AS my_root,
              CASE WHEN other.registration_number IS NOT NULL AND other.registration_number = me.registration_number
                   THEN 'same_registration_number' ELSE 'same_name_and_postcode' END AS reason
       FROM organisations me JOIN organisations other ON other.id <> me.id
       WHERE me.id = $1
         AND ((me.registration_number IS NOT NULL AND other.registration_number = me.registration_number)
           OR (me.postcode IS NOT NULL AND me.name_key <> '' AND other.postcode = me.postcode AND other.name_key = me.name_key))
       ORDER BY other.created_at, other.id`,
      [id],
    );
    for (const match of matches) {
      const [newer, older, olderRoot] = match.other_is_older
        ? [id, match.id, match.other_root]
        : [match.id, id, match.my_root];
      await m.query(
        `INSERT INTO organisation_duplicate_flags (organisation_id, matches_organisation_id, reason) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
        [newer, older, match.reason],
      );
      await m.query(`UPDATE organisations SET duplicate_of = $2 WHERE id = $1 AND duplicate_of IS NULL AND $2 <> $1`, [
        newer,
        olderRoot,
      ]);
    }
  }

  private async view(m: EntityManager, actor: Actor, id: string): Promise<OrganisationView> {
    const o = await m.getRepository(OrganisationEntity).findOneByOrFail({ id });
    const v: OrganisationView = {
      id: o.id,
      name: o.name,
      legalForm: o.legalForm,
      registrationNumber: o.registrationNumber,
      addressLine1: o.addressLine1,
      addressLine2: o.addressLine2,
      town: o.town,
      postcode: o.postcode,
      areaCode: o.areaCode,
      communitiesServed: o.communitiesServed,
      communitiesOther: o.communitiesOther,
      languages: o.languages,
      ledByAndFor: o.ledByAndFor,
      ledByAndForStatement: o.ledByAndForStatement,
      safeguardingLeadName: o.safeguardingLeadName,
      safeguardingLeadRole: o.safeguardingLeadRole,
      createdAt: o.createdAt.toISOString(),
    };
    if (can(actor.role, 'apply-for-organisation')) {
      const [r] = await m.query('SELECT role FROM organisation_members WHERE organisation_id = $1 AND user_id = $2', [
        id,
        actor.userId,
      ]);
      if (r) v.yourRole = r.role;
    }
    if (can(actor.role, 'view-applicant-organisations')) {
      v.duplicateFlags = await m.query(
        `SELECT f.matches_organisation_id AS "organisationId", o.name, f.reason FROM organisation_duplicate_flags f JOIN organisations o ON o.id = f.matches_organisation_id
         WHERE f.organisation_id = $1
         UNION
         SELECT f.organisation_id, o.name, f.reason FROM organisation_duplicate_flags f JOIN organisations o ON o.id = f.organisation_id
         WHERE f.matches_organisation_id = $1`,
        [id],
      );
    }
    return v;
  }
}

type Clean = Required<{ [K in keyof OrganisationProfile]: Exclude<OrganisationProfile[K], undefined> }> & {
  postcode: string;
};
