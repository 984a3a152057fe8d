/** Partnerships' fixed lists (DOMAIN.md, "Partnership"). */

export const PARTNERSHIP_TYPES = [
  { value: 'state-state', label: 'State–state' },
  { value: 'state-independent', label: 'State–independent' },
  { value: 'multi-agency', label: 'Multi-agency' },
  { value: 'area-based', label: 'Area-based alliance' },
  { value: 'trust-wide', label: 'Trust-wide' },
  { value: 'other', label: 'Other' },
] as const;
export type PartnershipType = (typeof PARTNERSHIP_TYPES)[number]['value'];
export const PARTNERSHIP_TYPE_VALUES = PARTNERSHIP_TYPES.map((t) => t.value) as [PartnershipType, ...PartnershipType[]];

/** Stages, in order. A partnership moves between them only by a recorded decision with a date and a reason. */
export const STAGES = [
  { value: 'pilot', label: 'Pilot', hint: 'Trying out working together on a small scale.' },
  { value: 'alliance', label: 'Alliance', hint: 'A committed, longer-term partnership with shared aims and resources.' },
  { value: 'integration', label: 'Integration', hint: 'Shared governance, staff or services: the partners work as one on these aims.' },
] as const;
export type Stage = (typeof STAGES)[number]['value'];
export const STAGE_VALUES = STAGES.map((s) => s.value) as [Stage, ...Stage[]];

export const MEMBER_ROLES = [
  { value: 'lead', label: 'Lead' },
  { value: 'partner', label: 'Partner' },
  { value: 'agency', label: 'Agency' },
  { value: 'funder', label: 'Funder' },
] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number]['value'];
export const MEMBER_ROLE_VALUES = MEMBER_ROLES.map((r) => r.value) as [MemberRole, ...MemberRole[]];

export const ACTIVITY_KINDS = [
  { value: 'meeting', label: 'Meeting' },
  { value: 'visit', label: 'Visit' },
  { value: 'training', label: 'Training' },
  { value: 'joint-practice', label: 'Joint practice development' },
  { value: 'shared-provision', label: 'Shared provision for pupils' },
  { value: 'event', label: 'Event for pupils or families' },
  { value: 'other', label: 'Other' },
] as const;
export const ACTIVITY_KIND_VALUES = ACTIVITY_KINDS.map((k) => k.value) as [string, ...string[]];

export const BENEFIT_KINDS = [
  { value: 'pupils', label: 'Pupils' },
  { value: 'staff', label: 'Staff' },
  { value: 'organisation', label: 'Organisation' },
  { value: 'community', label: 'Community' },
] as const;
export const BENEFIT_KIND_VALUES = BENEFIT_KINDS.map((k) => k.value) as [string, ...string[]];

/** 'backward' when the move goes to an earlier stage, 'forward' to a later one, 'same' when it does not move. */
export function stageMove(from: Stage, to: Stage): 'forward' | 'backward' | 'same' {
  const a = STAGE_VALUES.indexOf(from);
  const b = STAGE_VALUES.indexOf(to);
  return b > a ? 'forward' : b < a ? 'backward' : 'same';
}

const labelOf = (list: readonly { value: string; label: string }[]) => (value: string) => list.find((x) => x.value === value)?.label ?? value;
export const partnershipTypeLabel = labelOf(PARTNERSHIP_TYPES);
export const stageLabel = labelOf(STAGES);
export const memberRoleLabel = labelOf(MEMBER_ROLES);
export const activityKindLabel = labelOf(ACTIVITY_KINDS);
export const benefitKindLabel = labelOf(BENEFIT_KINDS);
