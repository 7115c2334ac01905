import { ArrayMaxSize, IsArray, IsBoolean, IsEmail, IsIn, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { LEGAL_FORMS, LegalForm } from '@sg/organisations';

/**
 * An organisation's profile. The shapes are checked here; the rules (registration number by its
 * register's format, a real postcode, an area some fund covers, communities from the census list)
 * are the Organisations use case's, shared with the portal's form.
 */
export class OrganisationProfileDto {
  @IsString() @Length(1, 200) name: string;
  @IsIn(LEGAL_FORMS) legalForm: LegalForm;
  /** Charity number (e.g. 1234567, SC012345), or Companies House number for a CIC or company (e.g. 01234567). */
  @IsOptional() @IsString() @Length(0, 40) registrationNumber?: string;
  @IsString() @Length(1, 200) addressLine1: string;
  @IsOptional() @IsString() @Length(0, 200) addressLine2?: string;
  @IsString() @Length(1, 100) town: string;
  /** A UK postcode, e.g. "TS18 1AA". */
  @IsString() @Length(1, 10) postcode: string;
  /** The area code of a fund area the organisation works in, e.g. "E06000004". */
  @IsString() @Length(1, 40) areaCode: string;
  /** Ethnic groups of the 2021 Census (e.g. "asian_pakistani", "white_roma"); see the portal's list. */
  @IsArray() @ArrayMaxSize(19) @IsString({ each: true }) communitiesServed: string[];
  /** Communities in the organisation's own words. */
  @IsOptional() @IsString() @Length(0, 300) communitiesOther?: string;
  @IsArray() @ArrayMaxSize(30) @IsString({ each: true }) @Length(1, 60, { each: true }) languages: string[];
  /** The organisation is led by and for the communities it serves. */
  @IsBoolean() ledByAndFor: boolean;
  /** How the leadership is drawn from those communities (required when ledByAndFor). */
  @IsOptional() @IsString() @Length(0, 2000) ledByAndForStatement?: string;
  @IsOptional() @IsString() @Length(0, 200) safeguardingLeadName?: string;
  @IsOptional() @IsString() @Length(0, 200) safeguardingLeadRole?: string;
}

export class InviteMemberDto {
  @IsEmail({}, { message: 'email must be an email address' }) @Length(3, 254) email: string;
}

export class TransferOwnershipDto {
  /** The member who becomes the owner. */
  @IsUUID() userId: string;
}
