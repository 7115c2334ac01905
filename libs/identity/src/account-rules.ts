import {
  Actor,
  FieldProblem,
  isActorRole,
  isMailbox,
  MAILBOX_MESSAGE,
  NAME_LINK_MESSAGE,
  nameHasLink,
  passwordProblem,
} from '@sg/domain';
import * as argon2 from 'argon2';
import { UserRow } from './accounts.store';

/** OWASP's Argon2id minimum (19 MiB, 2 passes, 1 lane): about 30 ms here, slow enough for guessers. */
export const ARGON2_OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export interface SignedIn {
  actor: Actor;
  displayName: string;
  email: string;
}

export interface NotificationPreferences {
  optionalReminders: boolean;
  dailyDigest: boolean;
  /** Whether this account may choose the digest (staff). */
  digestAvailable: boolean;
}

/** Every problem with a registration at once, so the form can show them together. */
export function registrationProblems(email: string, displayName: string, password: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!isMailbox(email)) problems.push({ field: 'email', message: MAILBOX_MESSAGE });
  if (displayName === '') problems.push({ field: 'displayName', message: 'Enter your name' });
  else if (displayName.length > 100)
    problems.push({ field: 'displayName', message: 'Your name must be 100 characters or fewer' });
  else if (nameHasLink(displayName)) problems.push({ field: 'displayName', message: NAME_LINK_MESSAGE });
  const weak = passwordProblem(password, email);
  if (weak) problems.push({ field: 'password', message: weak });
  return problems;
}

/** The person behind a user row, or null when the row's role is not one the portal knows. */
export function signedInAs(u: UserRow): SignedIn | null {
  if (!isActorRole(u.role)) return null;
  return {
    actor: { userId: u.id, role: u.role, partnerOrganisationId: u.partner_organisation_id },
    displayName: u.display_name,
    email: u.email,
  };
}
