export { LEGAL_FORMS } from './organisation-profile';
export type { LegalForm, OrganisationProfile, OrganisationView } from './organisation-profile';
export * from './organisations';
export * from './organisations.module';
export * from './organisation-members';
