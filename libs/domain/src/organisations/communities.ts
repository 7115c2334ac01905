/**
 * Communities served, in detail: the 19 ethnic groups of the 2021 Census for England and Wales,
 * grouped as the ONS groups them, each with its own "any other" so that no community is pushed into
 * a single catch-all box. Organisations may also describe communities in their own words.
 */
export interface EthnicGroup {
  value: string;
  label: string;
  group: string;
}

export const ETHNIC_GROUPS: readonly EthnicGroup[] = [
  { value: 'asian_bangladeshi', label: 'Bangladeshi', group: 'Asian or Asian British' },
  { value: 'asian_chinese', label: 'Chinese', group: 'Asian or Asian British' },
  { value: 'asian_indian', label: 'Indian', group: 'Asian or Asian British' },
  { value: 'asian_pakistani', label: 'Pakistani', group: 'Asian or Asian British' },
  { value: 'asian_other', label: 'Any other Asian background', group: 'Asian or Asian British' },
  { value: 'black_african', label: 'African', group: 'Black, Black British, Caribbean or African' },
  { value: 'black_caribbean', label: 'Caribbean', group: 'Black, Black British, Caribbean or African' },
  {
    value: 'black_other',
    label: 'Any other Black, Black British or Caribbean background',
    group: 'Black, Black British, Caribbean or African',
  },
  { value: 'mixed_white_asian', label: 'White and Asian', group: 'Mixed or multiple ethnic groups' },
  { value: 'mixed_white_black_african', label: 'White and Black African', group: 'Mixed or multiple ethnic groups' },
  {
    value: 'mixed_white_black_caribbean',
    label: 'White and Black Caribbean',
    group: 'Mixed or multiple ethnic groups',
  },
  {
    value: 'mixed_other',
    label: 'Any other mixed or multiple ethnic background',
    group: 'Mixed or multiple ethnic groups',
  },
  { value: 'white_british', label: 'English, Welsh, Scottish, Northern Irish or British', group: 'White' },
  { value: 'white_irish', label: 'Irish', group: 'White' },
  { value: 'white_gypsy_traveller', label: 'Gypsy or Irish Traveller', group: 'White' },
  { value: 'white_roma', label: 'Roma', group: 'White' },
  { value: 'white_other', label: 'Any other White background', group: 'White' },
  { value: 'other_arab', label: 'Arab', group: 'Other ethnic group' },
  { value: 'other_any', label: 'Any other ethnic group', group: 'Other ethnic group' },
];

export function isEthnicGroup(value: string): boolean {
  return ETHNIC_GROUPS.some((g) => g.value === value);
}

/** The groups in order, each with its options, for a page's grouped checkboxes. */
export function ethnicGroupsByGroup(): { group: string; options: EthnicGroup[] }[] {
  const out: { group: string; options: EthnicGroup[] }[] = [];
  for (const g of ETHNIC_GROUPS) {
    const last = out[out.length - 1];
    if (last?.group === g.group) last.options.push(g);
    else out.push({ group: g.group, options: [g] });
  }
  return out;
}
