import { Module } from '@nestjs/common';
import { ApplicationsModule } from '../applications.module';
import { ReadDeskApplication } from '../desk/read-desk-application.query';
import { ReadOfferLetter } from '../offer-letter/read-offer-letter.query';

/**
 * Reads shaped for the portal's pages: each gathers what one page shows in a few statements,
 * through the applications module's own access checks.
 */
@Module({
  imports: [ApplicationsModule],
  providers: [ReadOfferLetter, ReadDeskApplication],
  exports: [ReadOfferLetter, ReadDeskApplication],
})
export class PageReadsModule {}
