import { IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { LEGAL_FORMS, LegalForm } from '@sg/organisations';

export class CreateOrganisationDto {
  @IsString() @Length(2, 200) name: string;
  @IsIn(LEGAL_FORMS) legalForm: LegalForm;
  /** Charity, company or CIC number; checked by format when the applicant journey arrives. */
  @IsOptional() @IsString() @Matches(/^[A-Za-z0-9-]{1,20}$/, { message: 'registrationNumber may hold letters, digits and hyphens only' })
  registrationNumber?: string;
  /** The area code of the fund area the organisation works in, e.g. "E06000004". */
  @IsString() @Length(1, 40) areaCode: string;
  @IsOptional() @IsString() @Matches(/^[A-Za-z]{1,2}\d[A-Za-z\d]? ?\d[A-Za-z]{2}$/, { message: 'postcode must be a UK postcode' })
  postcode?: string;
}
