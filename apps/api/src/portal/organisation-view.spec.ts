import { OrganisationView } from '@sg/organisations';
import { fieldsFromProfile, organisationQuestions, organisationRows, profileFrom } from './organisation-view';

// The catalogue is stood in for by a function that shows the key, so the test reads which message goes where.
const t = (key: string) => `«${key}»`;
const AREAS = new Map([
  ['E06000004', 'Stockton-on-Tees'],
  ['E06000002', 'Middlesbrough'],
]);

const ORG: OrganisationView = {
  id: 'org-1',
  name: 'Roshni Women’s Group',
  legalForm: 'cic',
  registrationNumber: null,
  addressLine1: '1 High Street',
  addressLine2: null,
  town: 'Stockton',
  postcode: 'TS18 1AA',
  areaCode: 'E06000004',
  communitiesServed: ['asian_pakistani', 'unknown-group'],
  communitiesOther: 'Kurdish',
  languages: ['Urdu', 'Punjabi'],
  ledByAndFor: true,
  ledByAndForStatement: 'Run by women from the communities we serve',
  safeguardingLeadName: null,
  safeguardingLeadRole: null,
  createdAt: '2026-11-01T10:00:00Z',
};

describe('organisation profile view', () => {
  it('summarises the profile in rows, naming the area and communities, and saying "none" where nothing is held', () => {
    expect(organisationRows(ORG, AREAS, t)).toEqual([
      { label: '«organisation.legalForm»', lines: ['«legalForm.cic»'] },
      { label: '«organisation.registrationNumber»', lines: ['«organisation.none»'] },
      { label: '«organisation.address»', lines: ['1 High Street', 'Stockton', 'TS18 1AA'] },
      { label: '«organisation.area»', lines: ['Stockton-on-Tees'] },
      { label: '«organisation.communities»', lines: ['Pakistani', 'unknown-group', 'Kurdish'] },
      { label: '«organisation.languages»', lines: ['Urdu, Punjabi'] },
      { label: '«organisation.ledByAndFor»', lines: ['«form.yes»', 'Run by women from the communities we serve'] },
      { label: '«organisation.safeguardingLead»', lines: ['«organisation.none»'] },
    ]);
  });

  it('shows an area it does not know by its code, and an unanswered yes/no as blank', () => {
    const rows = organisationRows(
      { ...ORG, areaCode: 'E99999999', ledByAndFor: null, ledByAndForStatement: null },
      AREAS,
      t,
    );
    expect(rows[3].lines).toEqual(['E99999999']);
    expect(rows[6].lines).toEqual(['']);
  });

  it('asks the profile questions in order, with the fund areas as the choices for area', () => {
    const questions = organisationQuestions(AREAS, t);
    expect(questions.map((q) => q.id)).toEqual([
      'name',
      'legalForm',
      'registrationNumber',
      'addressLine1',
      'addressLine2',
      'town',
      'postcode',
      'areaCode',
      'communitiesServed',
      'communitiesOther',
      'languages',
      'ledByAndFor',
      'ledByAndForStatement',
      'safeguardingLeadName',
      'safeguardingLeadRole',
    ]);
    const area = questions.find((q) => q.id === 'areaCode')!;
    expect(area).toMatchObject({
      type: 'single_choice',
      label: '«organisation.areaQuestion»',
      hint: '«organisation.areaHint»',
    });
    expect(area.options).toEqual([
      { value: 'E06000004', label: 'Stockton-on-Tees' },
      { value: 'E06000002', label: 'Middlesbrough' },
    ]);
    expect(questions.find((q) => q.id === 'name')!.hint).toBeUndefined();
  });

  it('reads a posted form into a profile and a stored profile back into the form', () => {
    const fields = fieldsFromProfile(ORG);
    expect(fields).toMatchObject({
      languages: 'Urdu, Punjabi',
      ledByAndFor: 'yes',
      registrationNumber: '',
      addressLine2: '',
    });
    const profile = profileFrom({ ...fields, languages: 'Urdu; Punjabi\nArabic', ledByAndFor: 'no' });
    expect(profile).toMatchObject({
      name: 'Roshni Women’s Group',
      legalForm: 'cic',
      communitiesServed: ['asian_pakistani', 'unknown-group'],
      languages: ['Urdu', ' Punjabi', 'Arabic'],
      ledByAndFor: false,
    });
    expect(profileFrom({ ...fields, ledByAndFor: '', communitiesServed: 'asian_pakistani' })).toMatchObject({
      ledByAndFor: null,
      communitiesServed: ['asian_pakistani'],
    });
  });
});
