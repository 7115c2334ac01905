import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { CLOCK } from '@sg/config';
import {
  AcceptedReport,
  Actor,
  awardedFromLedger,
  balancesFromLedger,
  can,
  Clock,
  EvidenceFigures,
  evidenceLayout,
  FormDefinition,
  grantSpendToDate,
  LedgerKind,
  londonDate,
  Pence,
  Shown,
  summariseEvidence,
  suppressEvidence,
  SUPPRESSION_THRESHOLD,
  UseCaseError,
} from '@sg/domain';
import { DataSource } from 'typeorm';
import { ledgerBalances } from '../fund-balances';

export interface EvidenceArea {
  code: string;
  name: string;
}

/** One area's or one VDA's headline figures. */
export interface EvidenceSummaryRow<C> {
  grants: C;
  peopleSupported: C;
  reportsAccepted: C;
  reportsOverdue: C;
  awardedPence: Pence;
  disbursedPence: Pence;
  spendToDatePence: Pence;
}

export interface FundEvidence<C> {
  fund: {
    id: string;
    slug: string;
    name: string;
    /** The funder and the managing VDA (partners of the fund, never grantees). */
    funderName: string | null;
    managingName: string | null;
    opensOn: string | null;
    closesOn: string | null;
    programmeEndsOn: string | null;
    totalPence: Pence;
    grantablePence: Pence;
    /** The management fee posted to the ledger so far (the whole fund's, whatever the area). */
    feePence: Pence;
  };
  /** Today in Europe/London. */
  asOf: string;
  /** `suppressed`: counts under 5 (and any count that would reveal one) carry no number. */
  view: 'full' | 'suppressed';
  suppressionThreshold: number | null;
  /** The area the figures are for; null: every area this reader may see. */
  area: EvidenceArea | null;
  /** The areas this reader may filter by. */
  areas: EvidenceArea[];
  programmeEnded: boolean;
  /** Spend against awards, for the grants in view. */
  money: { awardedPence: Pence; disbursedPence: Pence; returnedPence: Pence; spendToDatePence: Pence };
  figures: EvidenceFigures<C>;
  /** Each area's headline figures (only the chosen one when filtered by area). */
  byArea: (EvidenceArea & EvidenceSummaryRow<C>)[];
  /** Each VDA's, over its areas (none when filtered by area). */
  byPartner: ({ name: string; areas: string[] } & EvidenceSummaryRow<C>)[];
}

/** Staff and administrators read every count; a funder viewer reads counts suppressed. The two cannot be mixed up. */
export type FundEvidenceView =
  (FundEvidence<number> & { view: 'full' }) | (FundEvidence<Shown> & { view: 'suppressed' });

/** Grants not yet closed or ended. */
const OPEN_STATES = ['offered', 'conditions_pending', 'active', 'suspended', 'closing'];
const OTHER_AREA = '';

interface Grant {
  id: string;
  areaCode: string;
  state: string;
  awardedPence: Pence;
  disbursedPence: Pence;
  returnedPence: Pence;
  reports: AcceptedReport[];
  overdue: number;
}

interface Part {
  area: EvidenceArea;
  grants: Grant[];
}

/**
 * A fund's evidence from its accepted monitoring reports, for the evidence dashboard, the pilot
 * evaluation report and `GET /api/v1/funds/{id}/evidence`: reach and who was reached, referrals,
 * outcomes, safeguarding, activity, spend against awards, reports overdue and grants open after the
 * programme's end, for the fund, one area, each area and each VDA.
 *
 * Officers of the managing VDA and administrators see everything; a partner VDA's staff see their
 * areas; viewers of the fund's funder see counts suppressed (libs/domain's `suppressEvidence`) and
 * nothing that names or describes a grantee: no organisation, no narrative, no file. Anyone else
 * is refused (403), and an unknown fund is 404.
 */
@Injectable()
export class FundEvidenceQueries {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async evidence(actor: Actor, fundId: string, areaCode?: string): Promise<FundEvidenceView> {
    const [fund]: {
      id: string;
      slug: string;
      name: string;
      areas: EvidenceArea[];
      opens_on: string | null;
      closes_on: string | null;
      programme_ends_on: string | null;
      report_form_key: string | null;
      total_pence: number;
      grantable_pence: number;
    }[] = await this.dataSource.query(
      `SELECT id, slug, name, areas, opens_on::text, closes_on::text, programme_ends_on::text, report_form_key, total_pence, grantable_pence FROM funds WHERE id = $1`,
      [fundId],
    );
    if (!fund) throw UseCaseError.notFound('The fund');
    const scope = await this.scope(actor, fund.id);
    const today = londonDate(this.clock.now());

    const visible = scope.areas ? fund.areas.filter((a) => scope.areas!.includes(a.code)) : fund.areas;
    let area: EvidenceArea | null = null;
    if (areaCode) {
      area = fund.areas.find((a) => a.code === areaCode) ?? null;
      if (!area)
        throw new UseCaseError('invalid', 'unknown_area', 'The area is not one of the fund’s areas', [
          { field: 'area', message: 'Choose one of the fund’s areas' },
        ]);
      if (!visible.some((a) => a.code === areaCode))
        throw new UseCaseError(
          'forbidden',
          'area_not_permitted',
          'Only the fund’s officers read the evidence of other areas',
        );
    }

    const grants = await this.grants(fund.id, today);
    const forms = await this.forms(fund.id, fund.report_form_key);
    const layout = evidenceLayout(
      forms,
      grants.flatMap((g) => g.reports.map((r) => r.answers)),
    );
    const programmeEnded = fund.programme_ends_on !== null && today > fund.programme_ends_on;

    // The parts: each area in view, and (for the whole fund) grants whose area is none of the fund's.
    const parts: Part[] = visible.map((a) => ({ area: a, grants: grants.filter((g) => g.areaCode === a.code) }));
    const elsewhere = grants.filter((g) => !fund.areas.some((a) => a.code === g.areaCode));
    if (!scope.areas && elsewhere.length > 0) parts.push({ area: { code: OTHER_AREA, name: '' }, grants: elsewhere });
    const figuresOf = (gs: Grant[]) =>
      summariseEvidence(
        layout,
        gs.flatMap((g) => g.reports),
        {
          grants: gs.filter((g) => g.awardedPence > 0).length,
          reportsOverdue: gs.reduce((n, g) => n + g.overdue, 0),
          grantsOpenAfterEnd: programmeEnded ? gs.filter((g) => OPEN_STATES.includes(g.state)).length : 0,
        },
      );
    const moneyOf = (gs: Grant[]) => ({
      awardedPence: gs.reduce((n, g) => n + g.awardedPence, 0),
      disbursedPence: gs.reduce((n, g) => n + g.disbursedPence, 0),
      returnedPence: gs.reduce((n, g) => n + g.returnedPence, 0),
      spendToDatePence: gs.reduce((n, g) => n + grantSpendToDate(g.reports), 0),
    });
    const all = parts.flatMap((p) => p.grants);
    const partners = (await this.partners(fund.id))
      .map((p) => ({
        ...p,
        parts: parts.flatMap((part, i) =>
          part.area.code !== OTHER_AREA && p.areas.includes(part.area.code) ? [i] : [],
        ),
      }))
      .filter((p) => p.parts.length > 0);
    const groupGrants = (indices: number[]) => indices.flatMap((i) => parts[i].grants);

    const raw = {
      whole: figuresOf(all),
      parts: parts.map((p) => figuresOf(p.grants)),
      groups: partners.map((p) => ({ figures: figuresOf(groupGrants(p.parts)), parts: p.parts })),
    };
    const chosen = area ? parts.findIndex((p) => p.area.code === area!.code) : -1;
    const summary = <C>(f: EvidenceFigures<C>, gs: Grant[]): EvidenceSummaryRow<C> => {
      const m = moneyOf(gs);
      return {
        grants: f.grants,
        peopleSupported: f.peopleSupported,
        reportsAccepted: f.reportsAccepted,
        reportsOverdue: f.reportsOverdue,
        awardedPence: m.awardedPence,
        disbursedPence: m.disbursedPence,
        spendToDatePence: m.spendToDatePence,
      };
    };
    const shape = <C>(
      whole: EvidenceFigures<C>,
      partFigures: EvidenceFigures<C>[],
      groupFigures: EvidenceFigures<C>[],
    ) => ({
      figures: chosen >= 0 ? partFigures[chosen] : whole,
      byArea: parts.flatMap((p, i) =>
        p.area.code !== OTHER_AREA && (chosen < 0 || chosen === i)
          ? [{ ...p.area, ...summary(partFigures[i], p.grants) }]
          : [],
      ),
      byPartner:
        chosen >= 0
          ? []
          : partners.map((p, i) => ({
              name: p.name,
              areas: p.areas,
              ...summary(groupFigures[i], groupGrants(p.parts)),
            })),
    });

    const base = {
      fund: {
        id: fund.id,
        slug: fund.slug,
        name: fund.name,
        funderName: (await this.partnerName(fund.id, 'funder')) ?? null,
        managingName: (await this.partnerName(fund.id, 'managing')) ?? null,
        opensOn: fund.opens_on,
        closesOn: fund.closes_on,
        programmeEndsOn: fund.programme_ends_on,
        totalPence: fund.total_pence,
        grantablePence: fund.grantable_pence,
        feePence: (await ledgerBalances(this.dataSource.manager, fund.id)).feePence,
      },
      asOf: today,
      area,
      areas: visible,
      programmeEnded,
      money: moneyOf(chosen >= 0 ? parts[chosen].grants : all),
    };
    if (scope.view === 'full')
      return {
        ...base,
        view: 'full',
        suppressionThreshold: null,
        ...shape(
          raw.whole,
          raw.parts,
          raw.groups.map((g) => g.figures),
        ),
      };
    // Suppressed together, across the whole, every area and every VDA, so that no two views combine to reveal a small count.
    const s = suppressEvidence(raw);
    return {
      ...base,
      view: 'suppressed',
      suppressionThreshold: SUPPRESSION_THRESHOLD,
      ...shape(s.whole, s.parts, s.groups),
    };
  }

  /** The funds whose evidence a funder viewer may read: those their organisation funds. */
  async fundedBy(actor: Actor): Promise<{ id: string; name: string; slug: string }[]> {
    if (!can(actor.role, 'view-evidence-as-funder') || !actor.partnerOrganisationId) return [];
    return this.dataSource.query(
      `SELECT f.id, f.name, f.slug FROM funds f JOIN fund_partners fp ON fp.fund_id = f.id
       WHERE fp.partner_organisation_id = $1 AND fp.role = 'funder' ORDER BY f.created_at`,
      [actor.partnerOrganisationId],
    );
  }

  /** What this reader may see: every count or suppressed counts, all areas or some. */
  private async scope(actor: Actor, fundId: string): Promise<{ view: 'full' | 'suppressed'; areas: string[] | null }> {
    if (!can(actor.role, 'view-evidence')) {
      throw new UseCaseError(
        'forbidden',
        'role_not_permitted',
        'Only the fund’s officers, its funder and administrators read its evidence',
      );
    }
    if (can(actor.role, 'oversee-every-fund')) return { view: 'full', areas: null };
    const [link]: { role: 'managing' | 'partner' | 'funder'; areas: string[] }[] = actor.partnerOrganisationId
      ? await this.dataSource.query(
          `SELECT role, areas FROM fund_partners WHERE fund_id = $1 AND partner_organisation_id = $2`,
          [fundId, actor.partnerOrganisationId],
        )
      : [];
    if (can(actor.role, 'view-evidence-as-funder') && link?.role === 'funder')
      return { view: 'suppressed', areas: null };
    if (can(actor.role, 'oversee-managed-funds') && link?.role === 'managing') return { view: 'full', areas: null };
    // A partner VDA's staff (and the managing VDA's partner officers) see their own areas, as on the desk.
    if (can(actor.role, 'view-evidence-in-own-areas') && link && link.role !== 'funder')
      return { view: 'full', areas: link.areas };
    throw new UseCaseError(
      'forbidden',
      'not_party_to_fund',
      'Only the fund’s own staff and its funder read its evidence',
    );
  }

  /**
   * The fund's grants (and anything reported on): money from the ledger, accepted reports' answers
   * without their narrative, and how many reports are overdue (due or returned, due before today).
   */
  private async grants(fundId: string, today: string): Promise<Grant[]> {
    const money: { id: string; area_code: string; state: string; kind: LedgerKind | null; amount: number | null }[] =
      await this.dataSource.query(
        `SELECT a.id, a.area_code, a.state, l.kind, sum(l.amount_pence)::bigint AS amount
       FROM applications a LEFT JOIN ledger_entries l ON l.application_id = a.id
       WHERE a.fund_id = $1 AND a.state <> 'draft'
       GROUP BY a.id, a.area_code, a.state, l.kind`,
        [fundId],
      );
    const reports: {
      application_id: string;
      kind: 'interim' | 'final';
      state: string;
      overdue: boolean;
      answers: Record<string, unknown>;
      spend_to_date_pence: number | null;
      reviewed_at: Date | null;
    }[] = await this.dataSource.query(
      `SELECT r.application_id, r.kind, r.state, (r.state IN ('due', 'returned') AND r.due_on < $2::date) AS overdue,
                CASE WHEN r.state = 'accepted' THEN r.answers - 'narrative' ELSE '{}'::jsonb END AS answers,
                r.spend_to_date_pence, r.reviewed_at
         FROM monitoring_reports r JOIN applications a ON a.id = r.application_id
         WHERE a.fund_id = $1 AND r.state IN ('accepted', 'due', 'returned')`,
      [fundId, today],
    );
    const byId = new Map<
      string,
      {
        areaCode: string;
        state: string;
        entries: { kind: LedgerKind; amountPence: Pence }[];
        reports: AcceptedReport[];
        overdue: number;
      }
    >();
    for (const r of money) {
      const g = byId.get(r.id) ?? { areaCode: r.area_code, state: r.state, entries: [], reports: [], overdue: 0 };
      if (r.kind) g.entries.push({ kind: r.kind, amountPence: Number(r.amount) });
      byId.set(r.id, g);
    }
    for (const r of reports) {
      const g = byId.get(r.application_id);
      if (!g) continue;
      if (r.overdue) g.overdue += 1;
      if (r.state === 'accepted') {
        g.reports.push({
          applicationId: r.application_id,
          kind: r.kind,
          reviewedAt: r.reviewed_at ? new Date(r.reviewed_at).toISOString() : null,
          answers: r.answers ?? {},
          spendToDatePence: r.spend_to_date_pence,
        });
      }
    }
    return [...byId]
      .map(([id, g]) => {
        const b = balancesFromLedger(g.entries);
        return {
          id,
          areaCode: g.areaCode,
          state: g.state,
          awardedPence: awardedFromLedger(g.entries),
          disbursedPence: b.disbursedPence,
          returnedPence: b.returnedPence,
          reports: g.reports,
          overdue: g.overdue,
        };
      })
      .filter((g) => g.awardedPence > 0 || g.reports.length > 0 || g.overdue > 0);
  }

  /** The report form versions the fund's accepted reports were answered on, and the newest of the fund's report form; newest first. */
  private async forms(fundId: string, reportFormKey: string | null): Promise<FormDefinition[]> {
    const rows: { definition: FormDefinition }[] = await this.dataSource.query(
      `SELECT af.definition FROM application_forms af
       WHERE (af.key, af.version) IN (
               SELECT r.form_key, r.form_version FROM monitoring_reports r JOIN applications a ON a.id = r.application_id
               WHERE a.fund_id = $1 AND r.state = 'accepted' AND r.form_key IS NOT NULL)
          OR (af.key = $2 AND af.version = (SELECT max(version) FROM application_forms WHERE key = $2))
       ORDER BY (af.key = $2) DESC, af.version DESC, af.key`,
      [fundId, reportFormKey],
    );
    return rows.map((r) => r.definition);
  }

  private async partners(fundId: string): Promise<{ name: string; areas: string[] }[]> {
    return this.dataSource.query(
      `SELECT po.name, fp.areas FROM fund_partners fp JOIN partner_organisations po ON po.id = fp.partner_organisation_id
       WHERE fp.fund_id = $1 AND fp.role IN ('managing', 'partner') ORDER BY (fp.role = 'managing') DESC, po.name`,
      [fundId],
    );
  }

  private async partnerName(fundId: string, role: 'funder' | 'managing'): Promise<string | undefined> {
    const [row] = await this.dataSource.query(
      `SELECT po.name FROM fund_partners fp JOIN partner_organisations po ON po.id = fp.partner_organisation_id WHERE fp.fund_id = $1 AND fp.role = $2 ORDER BY po.name LIMIT 1`,
      [fundId, role],
    );
    return row?.name;
  }
}
