import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AppConfig, CLOCK } from '@sg/config';
import {
  Actor,
  AwardFacts,
  Clock,
  FormDefinition,
  FundFacts,
  threeSixtyGivingPackage,
  ThreeSixtyGivingPackage,
  UseCaseError,
} from '@sg/domain';
import { DataSource, EntityManager } from 'typeorm';
import { requireFundOfficer } from '../read-fund/fund-queries';
import { applicationsCsv, awardsCsv, CsvExport, paymentsCsv, reportsCsv } from './csv-exports';
import * as store from './fund-exports.store';

/**
 * The fund's records for its officers, as CSV for a spreadsheet (csv-exports.ts), and its awards
 * as 360Giving data. What is never exported, and why, is at the head of fund-exports.store.ts.
 */
/** The states of an award that happened (offered and kept, paid or ended), for 360Giving. */
const GRANT_STATES = ['offered', 'conditions_pending', 'active', 'suspended', 'closing', 'closed', 'terminated'];

@Injectable()
export class FundExports {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  async csv(actor: Actor, fundId: string, which: CsvExport): Promise<string> {
    const m = this.dataSource.manager;
    await requireFundOfficer(m, actor, fundId, `${which} export`);
    switch (which) {
      case 'applications':
        return applicationsCsv(await store.applicationRows(m, fundId));
      case 'awards':
        return awardsCsv(await store.awardRows(m, fundId));
      case 'payments':
        return paymentsCsv(await store.paymentRows(m, fundId));
      case 'reports':
        return reportsCsv(await store.reportRows(m, fundId), await this.reportForms(m, fundId));
      default:
        throw UseCaseError.notFound('The export');
    }
  }

  /** The report forms the fund's reports were answered on, and its current one: newest first. */
  private async reportForms(m: EntityManager, fundId: string): Promise<FormDefinition[]> {
    const forms = await store.reportFormRows(m, fundId);
    return forms.map((f) => f.definition);
  }

  /** The fund's awards as a 360Giving package (libs/domain three-sixty-giving for what goes in and why). */
  async threeSixtyGiving(actor: Actor, fundId: string): Promise<ThreeSixtyGivingPackage> {
    const m = this.dataSource.manager;
    await requireFundOfficer(m, actor, fundId, '360Giving export');
    const fund = await store.threeSixtyGivingFund(m, fundId);
    const partners = await store.publishingPartners(m, fundId);
    const managing = partners.find((p) => p.role === 'managing');
    if (!managing)
      throw new UseCaseError(
        'conflict',
        'no_managing_organisation',
        'The fund has no managing organisation to publish its grants',
      );
    const funder = partners.find((p) => p.role === 'funder');
    const facts: FundFacts = {
      slug: fund.slug,
      name: fund.name,
      currency: fund.currency,
      totalPence: fund.total_pence,
      areas: fund.areas,
      managing: { slug: managing.slug, name: managing.name },
      funder: funder ? { slug: funder.slug, name: funder.name } : null,
      opensOn: fund.opens_on,
      programmeEndsOn: fund.programme_ends_on,
      allocatedOn: fund.allocated_on,
      modifiedAt: fund.updated_at,
    };
    // The organisation columns read are its identity and the 'by and for' answer only: never its
    // address, town or postcode, its own description of its communities, or its safeguarding lead.
    const rows = await store.grantRows(m, fundId, GRANT_STATES);
    const awards: AwardFacts[] = rows.map((r) => ({
      reference: r.reference,
      organisation: {
        id: r.organisation_id,
        name: r.name,
        legalForm: r.legal_form,
        registrationNumber: r.registration_number,
        ledByAndFor: r.led_by_and_for,
        communitiesServed: r.communities_served ?? [],
      },
      areaCode: r.area_code,
      requestedPence: r.requested_pence,
      awardedPence: r.awarded_pence,
      disbursedPence: r.disbursed_pence,
      returnedPence: r.returned_pence,
      decidedOn: r.decided_on,
      acceptedOn: r.accepted_on,
      finalReportDueOn: r.final_due_on,
      modifiedAt: r.updated_at,
    }));
    const prefix = this.config.THREESIXTYGIVING_PREFIX;
    const dataSource = `${this.config.PUBLIC_URL.replace(/\/$/, '')}/api/v1/funds/${fundId}/exports/360giving.json`;
    return threeSixtyGivingPackage(facts, awards, { prefix, dataSource, now: this.clock.now() });
  }
}
