import { IsEmail, IsIn, IsOptional, IsString, Length, Matches, ValidateIf } from 'class-validator';
import { type ActorRole, DISABLE_REASONS, type DisableReason, rolesWith } from '@sg/domain';

const SLUG = { pattern: /^[a-z0-9]+(?:-[a-z0-9]+)*$/, message: 'partnerOrganisationSlug must be a slug' };

export class CreateStaffUserDto {
  @IsEmail({}, { message: 'email must be an email address' }) @Length(3, 254) email: string;
  @IsString() @Length(1, 100) displayName: string;
  @IsIn(rolesWith('hold-staff-account')) role: ActorRole;
  /** The VDA or funder the person works for (required except for admins), e.g. "catalyst". */
  @IsOptional()
  @Matches(SLUG.pattern, { message: SLUG.message })
  @Length(1, 80)
  partnerOrganisationSlug?: string;
}

export class UpdateStaffUserDto {
  @IsIn(rolesWith('hold-staff-account')) role: ActorRole;
  /** The VDA or funder they work for: required for every role but admin, and cleared for an admin. */
  @ValidateIf((_o, v) => v !== null && v !== undefined)
  @Matches(SLUG.pattern, { message: SLUG.message })
  @Length(1, 80)
  partnerOrganisationSlug?: string | null;
}

export class DisableStaffUserDto {
  /** Why: one of a fixed list, so that the security log holds no typed words. */
  @IsIn(DISABLE_REASONS) reason: DisableReason;
}
