import { NewUser } from './api-tokens';

/** Development users can also sign in to the portal with this password (never in production). */
export const DEVELOPMENT_PASSWORD = 'small grants development';

/**
 * The people `npm start` creates in development, one per role, with fixed tokens so that the
 * walk-through in docs/api.md can be typed as it stands. Never loaded when NODE_ENV is production.
 */
export const DEVELOPMENT_USERS: (NewUser & { token: string })[] = [
  { email: 'admin@catalyst.example', displayName: 'Ada Admin', role: 'admin', token: 'dev-admin-token' },
  {
    email: 'officer@catalyst.example',
    displayName: 'Olu Officer',
    role: 'officer',
    partnerOrganisationSlug: 'catalyst',
    token: 'dev-officer-token',
  },
  {
    email: 'officer@hartlepool-vda.example',
    displayName: 'Priya Partner',
    role: 'partner_officer',
    partnerOrganisationSlug: 'hartlepool-vda',
    token: 'dev-partner-officer-token',
  },
  {
    email: 'panel@catalyst.example',
    displayName: 'Pat Panel',
    role: 'panel_member',
    partnerOrganisationSlug: 'catalyst',
    token: 'dev-panel-token',
  },
  {
    email: 'funder@cleveland-pcc.example',
    displayName: 'Fran Funder',
    role: 'funder_viewer',
    partnerOrganisationSlug: 'cleveland-pcc',
    token: 'dev-funder-token',
  },
  {
    email: 'amina@women-of-tees.example',
    displayName: 'Amina Applicant',
    role: 'applicant',
    token: 'dev-applicant-token',
  },
];
