import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { CLOCK } from '@sg/config';
import {
  Actor,
  can,
  Clock,
  EvidenceFigures,
  evidenceLayout,
  grantSpendToDate,
  londonDate,
  summariseEvidence,
  suppressEvidence,
  SUPPRESSION_THRESHOLD,
  UseCaseError,
} from '@sg/domain';
import { DataSource } from 'typeorm';
import { ledgerBalances } from '../fund-balances';
import { Grant, grantsFrom } from './evidence-grants';
import { EvidenceArea, EvidenceSummaryRow, FundEvidenceView } from './fund-evidence-view';
import * as store from './fund-evidence.store';

/** Grants not yet closed or ended. */
const OPEN_STATES = ['offered', 'conditions_pending', 'active', 'suspended', 'closing'];
const OTHER_AREA = '';

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
    const fund = await store.evidenceFund(this.dataSource, fundId);
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
    const forms = await store.evidenceForms(this.dataSource, fund.id, fund.report_form_key);
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
    const partners = (await store.vdaAreas(this.dataSource, fund.id))
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
        funderName: (await store.partnerName(this.dataSource, fund.id, 'funder')) ?? null,
        managingName: (await store.partnerName(this.dataSource, fund.id, 'managing')) ?? null,
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
    return store.fundsFundedBy(this.dataSource, actor.partnerOrganisationId);
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
    const link = actor.partnerOrganisationId
      ? await store.partnerLink(this.dataSource, fundId, actor.partnerOrganisationId)
      : undefined;
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
    return grantsFrom(
      await store.grantMoney(this.dataSource, fundId),
      await store.evidenceReports(this.dataSource, fundId, today),
    );
  }
}
