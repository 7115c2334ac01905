// The stores' statements stay inside the library: only their result types go out.
export * from './page-reads.module';
export type { OfferLetterFacts } from '../offer-letter/offer-letter.store';
export * from '../offer-letter/read-offer-letter.query';
export type { DeskApplicationRows } from '../desk/desk-application-view.store';
export * from '../desk/read-desk-application.query';
