import { ETHNIC_GROUPS, LEGAL_FORMS, Question } from '@sg/domain';
import { OrganisationProfile, OrganisationView } from '@sg/organisations';
import { field } from './pages';

// An organisation's profile as the portal shows it and asks for it: plain functions of the
// profile, the fund's areas and the message catalogue, so that a unit test can read the page.

type Translate = (key: string) => string;

/** The profile's summary rows: a label and its lines. */
export function organisationRows(
  org: OrganisationView,
  areas: ReadonlyMap<string, string>,
  t: Translate,
): { label: string; lines: string[] }[] {
  const groups = new Map(ETHNIC_GROUPS.map((g) => [g.value, g.label]));
  const yes = (b: boolean | null) => (b === null ? '' : t(b ? 'form.yes' : 'form.no'));
  return [
    { label: t('organisation.legalForm'), lines: [t(`legalForm.${org.legalForm}`)] },
    {
      label: t('organisation.registrationNumber'),
      lines: [org.registrationNumber ?? t('organisation.none')],
    },
    {
      label: t('organisation.address'),
      lines: [org.addressLine1, org.addressLine2, org.town, org.postcode].filter((l): l is string => !!l),
    },
    { label: t('organisation.area'), lines: [areas.get(org.areaCode) ?? org.areaCode] },
    {
      label: t('organisation.communities'),
      lines: [
        ...org.communitiesServed.map((c) => groups.get(c) ?? c),
        ...(org.communitiesOther ? [org.communitiesOther] : []),
      ],
    },
    { label: t('organisation.languages'), lines: [org.languages.join(', ')] },
    {
      label: t('organisation.ledByAndFor'),
      lines: [yes(org.ledByAndFor), ...(org.ledByAndForStatement ? [org.ledByAndForStatement] : [])],
    },
    {
      label: t('organisation.safeguardingLead'),
      lines: org.safeguardingLeadName
        ? [org.safeguardingLeadName, org.safeguardingLeadRole ?? '']
        : [t('organisation.none')],
    },
  ];
}

/** The profile form's questions, in the order a person answers them. */
export function organisationQuestions(areas: ReadonlyMap<string, string>, t: Translate): Question[] {
  const q = (question: Omit<Question, 'label'> & { labelKey: string; hintKey?: string }): Question => ({
    ...question,
    label: t(question.labelKey),
    hint: question.hintKey ? t(question.hintKey) : undefined,
  });
  return [
    q({ id: 'name', type: 'short_text', labelKey: 'organisation.name' }),
    q({
      id: 'legalForm',
      type: 'single_choice',
      labelKey: 'organisation.legalForm',
      options: LEGAL_FORMS.map((f) => ({ value: f, label: t(`legalForm.${f}`) })),
    }),
    q({
      id: 'registrationNumber',
      type: 'short_text',
      labelKey: 'organisation.registrationNumber',
      hintKey: 'organisation.registrationNumberHint',
    }),
    q({
      id: 'addressLine1',
      type: 'short_text',
      labelKey: 'organisation.addressLine1',
      hintKey: 'organisation.addressHint',
    }),
    q({ id: 'addressLine2', type: 'short_text', labelKey: 'organisation.addressLine2' }),
    q({ id: 'town', type: 'short_text', labelKey: 'organisation.town' }),
    q({ id: 'postcode', type: 'short_text', labelKey: 'organisation.postcode' }),
    q({
      id: 'areaCode',
      type: 'single_choice',
      labelKey: 'organisation.areaQuestion',
      hintKey: 'organisation.areaHint',
      options: [...areas].map(([value, label]) => ({ value, label })),
    }),
    q({
      id: 'communitiesServed',
      type: 'multiple_choice',
      labelKey: 'organisation.communitiesQuestion',
      hintKey: 'organisation.communitiesHint',
      options: ETHNIC_GROUPS.map((g) => ({ value: g.value, label: g.label })),
    }),
    q({
      id: 'communitiesOther',
      type: 'short_text',
      labelKey: 'organisation.communitiesOther',
      hintKey: 'organisation.communitiesOtherHint',
    }),
    q({
      id: 'languages',
      type: 'short_text',
      labelKey: 'organisation.languagesQuestion',
      hintKey: 'organisation.languagesHint',
    }),
    q({
      id: 'ledByAndFor',
      type: 'yes_no',
      labelKey: 'organisation.ledByAndForQuestion',
      hintKey: 'organisation.ledByAndForHint',
    }),
    q({
      id: 'ledByAndForStatement',
      type: 'long_text',
      labelKey: 'organisation.ledByAndForStatement',
      hintKey: 'organisation.ledByAndForStatementHint',
    }),
    q({
      id: 'safeguardingLeadName',
      type: 'short_text',
      labelKey: 'organisation.safeguardingLeadName',
      hintKey: 'organisation.safeguardingLeadHint',
    }),
    q({ id: 'safeguardingLeadRole', type: 'short_text', labelKey: 'organisation.safeguardingLeadRole' }),
  ];
}

/** The profile a posted form describes. */
export function profileFrom(f: Record<string, string | string[]>): OrganisationProfile {
  const ledByAndFor = field(f, 'ledByAndFor');
  return {
    name: field(f, 'name'),
    legalForm: field(f, 'legalForm') as OrganisationProfile['legalForm'],
    registrationNumber: field(f, 'registrationNumber'),
    addressLine1: field(f, 'addressLine1'),
    addressLine2: field(f, 'addressLine2'),
    town: field(f, 'town'),
    postcode: field(f, 'postcode'),
    areaCode: field(f, 'areaCode'),
    communitiesServed: [f.communitiesServed ?? []].flat(),
    communitiesOther: field(f, 'communitiesOther'),
    languages: field(f, 'languages').split(/[,;\n]/),
    ledByAndFor: ledByAndFor === 'yes' ? true : ledByAndFor === 'no' ? false : null,
    ledByAndForStatement: field(f, 'ledByAndForStatement'),
    safeguardingLeadName: field(f, 'safeguardingLeadName'),
    safeguardingLeadRole: field(f, 'safeguardingLeadRole'),
  };
}

/** The form's fields filled from a stored profile, for editing. */
export function fieldsFromProfile(o: OrganisationView): Record<string, string | string[]> {
  return {
    name: o.name,
    legalForm: o.legalForm,
    registrationNumber: o.registrationNumber ?? '',
    addressLine1: o.addressLine1 ?? '',
    addressLine2: o.addressLine2 ?? '',
    town: o.town ?? '',
    postcode: o.postcode ?? '',
    areaCode: o.areaCode,
    communitiesServed: o.communitiesServed,
    communitiesOther: o.communitiesOther ?? '',
    languages: o.languages.join(', '),
    ledByAndFor: o.ledByAndFor === null ? '' : o.ledByAndFor ? 'yes' : 'no',
    ledByAndForStatement: o.ledByAndForStatement ?? '',
    safeguardingLeadName: o.safeguardingLeadName ?? '',
    safeguardingLeadRole: o.safeguardingLeadRole ?? '',
  };
}
