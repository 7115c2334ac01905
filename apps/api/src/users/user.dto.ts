import { IsEmail, IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { type ActorRole, rolesWith } from '@sg/domain';

export class CreateStaffUserDto {
  @IsEmail({}, { message: 'email must be an email address' }) @Length(3, 254) email: string;
  @IsString() @Length(1, 100) displayName: string;
  @IsIn(rolesWith('hold-staff-account')) role: ActorRole;
  /** The VDA or funder the person works for (required except for admins), e.g. "catalyst". */
  @IsOptional()
  @Matches(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, { message: 'partnerOrganisationSlug must be a slug' })
  @Length(1, 80)
  partnerOrganisationSlug?: string;
}
