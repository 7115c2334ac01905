import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { CLOCK } from '@sg/config';
import {
  Actor,
  applyLedgerEntry,
  availableForGrants,
  awardedFromLedger,
  balancesFromLedger,
  can,
  Clock,
  EMPTY_BALANCES,
  fundApplicationScope,
  FundBalances,
  LedgerEntryDraft,
  londonDate,
  Pence,
  usedOfGrantable,
  UseCaseError,
} from '@sg/domain';
import { DataSource } from 'typeorm';
import { ledgerBalances } from '../fund-balances';
import { findFund } from '../funds.store';
import * as store from './read-fund.store';

/** What the fund owes and has paid one organisation, from the ledger. */
export interface OrganisationMoney {
  organisationId: string;
  name: string;
  /** Commitments less releases. */
  awardedPence: Pence;
  disbursedPence: Pence;
  returnedPence: Pence;
  /** Awarded and not yet paid. */
  outstandingPence: Pence;
}

/** The money at the end of one day (Europe/London) on which it moved: cumulative, not the day's change. */
export interface MoneyDay {
  date: string;
  /** Committed + disbursed − returned: what the grants use of the grantable amount. */
  usedPence: Pence;
  disbursedPence: Pence;
}

export interface FundMoneyReport {
  fund: { id: string; slug: string; name: string; currency: string };
  /** Today in Europe/London: the report's date. */
  asOf: string;
  totalPence: Pence;
  /** The management fee posted to the ledger so far (fees less reversals). */
  feePence: Pence;
  grantablePence: Pence;
  /** Promised and not yet paid. */
  committedPence: Pence;
  disbursedPence: Pence;
  returnedPence: Pence;
  /** Committed + disbursed − returned. */
  usedPence: Pence;
  availablePence: Pence;
  alertThresholdsBasisPoints: number[];
  /** What the fund would use if the panel approved what the assessors recommend. */
  forecast: {
    /** Applications awaiting decision. */
    applications: number;
    /** Their recommended amounts; the amount asked for where there is no recommendation yet. */
    recommendedPence: Pence;
    /** How many of them have no recommended amount (their amount asked for is counted). */
    withoutRecommendation: number;
    /** usedPence + recommendedPence. */
    forecastPence: Pence;
    fits: boolean;
    /** Available − recommended: what would remain (negative: how far short the fund would be). */
    marginPence: Pence;
  };
  /** Sorted by awarded, largest first. Partner officers see the organisations in their own areas. */
  organisations: OrganisationMoney[];
  /** One entry per day on which committed or disbursed changed (and the first day of the ledger), oldest first. */
  series: MoneyDay[];
}

/**
 * A fund's money as its staff need it: the balances (from the ledger), a forecast with what awaits
 * the panel, each organisation's totals and the ledger's cumulative sums by day. Shared by the
 * desk's money page and `GET /api/v1/funds/{id}/money`. Money moves on the day of the event that
 * moved it (the ledger entry's event, dated by the application's clock).
 */
@Injectable()
export class FundMoneyReports {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async report(actor: Actor, fundId: string): Promise<FundMoneyReport> {
    const fund = await findFund(this.dataSource.manager, fundId);
    if (!fund) throw UseCaseError.notFound('The fund');
    const scope = await this.scope(actor, fund.id);
    const m = this.dataSource.manager;

    const balances = await ledgerBalances(m, fund.id);
    const used = usedOfGrantable(balances);
    const available = availableForGrants(fund.grantablePence, balances);

    const waiting = await store.awaitingDecisionTotals(m, fund.id);
    const recommended = Number(waiting.recommended);

    return {
      fund: { id: fund.id, slug: fund.slug, name: fund.name, currency: fund.currency },
      asOf: londonDate(this.clock.now()),
      totalPence: fund.totalPence,
      feePence: balances.feePence,
      grantablePence: fund.grantablePence,
      committedPence: balances.committedPence,
      disbursedPence: balances.disbursedPence,
      returnedPence: balances.returnedPence,
      usedPence: used,
      availablePence: available,
      alertThresholdsBasisPoints: [...fund.alertThresholdsBasisPoints].sort((a, b) => a - b),
      forecast: {
        applications: waiting.applications,
        recommendedPence: recommended,
        withoutRecommendation: waiting.without_recommendation,
        forecastPence: used + recommended,
        fits: recommended <= available,
        marginPence: available - recommended,
      },
      organisations: await this.organisations(fund.id, scope.areas),
      series: await this.series(fund.id),
    };
  }

  /** Who sees the fund, as the desk decides: administrators all; staff of a partner (not the funder) of the fund. */
  private async scope(actor: Actor, fundId: string): Promise<{ areas: string[] | null }> {
    if (!can(actor.role, 'view-money-report')) {
      throw new UseCaseError(
        'forbidden',
        'role_not_permitted',
        'Only the fund’s officers, panel and administrators read its money report',
      );
    }
    const link =
      actor.partnerOrganisationId && !can(actor.role, 'oversee-every-fund')
        ? await store.staffLinkToFund(this.dataSource, fundId, actor.partnerOrganisationId)
        : undefined;
    // As the fund's applications are seen: a partner officer only their partner's areas' organisations,
    // and no one whose applications they may not see (an officer of a partner that does not manage it).
    const scope = fundApplicationScope(actor, link);
    if (!scope)
      throw new UseCaseError('forbidden', 'not_party_to_fund', 'Only the fund’s own staff read its money report');
    return { areas: scope === 'all' ? null : [...scope.areas] };
  }

  private async organisations(fundId: string, areas: string[] | null): Promise<OrganisationMoney[]> {
    const rows = await store.organisationLedgerSums(this.dataSource, fundId, areas);
    const byOrganisation = new Map<string, { name: string; entries: LedgerEntryDraft[] }>();
    for (const r of rows) {
      const o = byOrganisation.get(r.organisation_id) ?? { name: r.name, entries: [] };
      o.entries.push({ kind: r.kind, amountPence: r.amount });
      byOrganisation.set(r.organisation_id, o);
    }
    return [...byOrganisation]
      .map(([organisationId, o]) => {
        const b: FundBalances = balancesFromLedger(o.entries);
        return {
          organisationId,
          name: o.name,
          awardedPence: awardedFromLedger(o.entries),
          disbursedPence: b.disbursedPence,
          returnedPence: b.returnedPence,
          outstandingPence: b.committedPence,
        };
      })
      .sort((a, b) => b.awardedPence - a.awardedPence || a.name.localeCompare(b.name, 'en-GB'));
  }

  /**
   * The ledger summed by hour and kind in the database (London is always a whole number of hours
   * from UTC, so an hour falls on one London day), then folded day by day with the domain's rules.
   */
  private async series(fundId: string): Promise<MoneyDay[]> {
    const rows = await store.hourlyLedgerSums(this.dataSource, fundId);
    const days: MoneyDay[] = [];
    let b = EMPTY_BALANCES;
    for (const r of rows) {
      b = applyLedgerEntry(b, { kind: r.kind, amountPence: r.amount });
      const day = {
        date: londonDate(new Date(r.hour)),
        usedPence: usedOfGrantable(b),
        disbursedPence: b.disbursedPence,
      };
      if (days.at(-1)?.date === day.date) days[days.length - 1] = day;
      else days.push(day);
    }
    // A day when only the allocation or the fee moved changes neither line: keep the first day (the fund's start) only.
    return days.filter(
      (d, i) => i === 0 || d.usedPence !== days[i - 1].usedPence || d.disbursedPence !== days[i - 1].disbursedPence,
    );
  }
}
