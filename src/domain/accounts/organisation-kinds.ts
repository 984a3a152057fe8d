/** The kinds of organisation that work with schools (DOMAIN.md, "Organisation"). */
export const ORGANISATION_KINDS = [
  { value: 'school', label: 'School', fromDirectory: true },
  { value: 'trust', label: 'Trust (multi- or single-academy)', fromDirectory: true },
  { value: 'local-authority', label: 'Local authority', fromDirectory: false },
  { value: 'combined-authority', label: 'Combined authority', fromDirectory: false },
  { value: 'health', label: 'Health service', fromDirectory: false },
  { value: 'social-care', label: "Children's social care", fromDirectory: false },
  { value: 'police', label: 'Police', fromDirectory: false },
  { value: 'youth-service', label: 'Youth service', fromDirectory: false },
  { value: 'charity', label: 'Charity or voluntary organisation', fromDirectory: false },
  { value: 'university', label: 'University', fromDirectory: false },
  { value: 'employer', label: 'Employer', fromDirectory: false },
  { value: 'independent-school', label: 'Independent school', fromDirectory: false },
  { value: 'other', label: 'Other', fromDirectory: false },
] as const;

export type OrganisationKind = (typeof ORGANISATION_KINDS)[number]['value'];
export const ORGANISATION_KIND_VALUES = ORGANISATION_KINDS.map((k) => k.value) as [OrganisationKind, ...OrganisationKind[]];

export function organisationKindLabel(kind: string): string {
  return ORGANISATION_KINDS.find((k) => k.value === kind)?.label ?? kind;
}

export const MEMBERSHIP_ROLES = ['member', 'admin'] as const;
export type MembershipRole = (typeof MEMBERSHIP_ROLES)[number];
