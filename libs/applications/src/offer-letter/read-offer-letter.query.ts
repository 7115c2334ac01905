import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Actor, UseCaseError } from '@sg/domain';
import { DataSource } from 'typeorm';
import { AwardConditions, ConditionView } from '../conditions/award-conditions';
import { ApplicationQueries } from '../manage-applications/application-queries';
import { ApplicationView } from '../manage-applications/application-view';
import { OfferLetterFacts, readOfferLetterFacts } from './offer-letter.store';

export interface OfferLetter extends OfferLetterFacts {
  application: ApplicationView;
  conditions: ConditionView[];
}

/**
 * The offer letter of an awarded application, for whoever may see the application (the applicant
 * and the fund's officers); 404 when there is no award.
 */
@Injectable()
export class ReadOfferLetter {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly queries: ApplicationQueries,
    private readonly conditions: AwardConditions,
  ) {}

  async get(actor: Actor, applicationId: string): Promise<OfferLetter> {
    const application = await this.queries.get(actor, applicationId);
    if (application.awardedPence === null)
      throw new UseCaseError('not_found', 'no_offer', 'There is no offer for this application');
    const facts = await readOfferLetterFacts(this.dataSource.manager, application);
    return { ...facts, application, conditions: await this.conditions.list(actor, applicationId) };
  }
}
