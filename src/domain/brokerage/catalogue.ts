/**
 * Brokered support's fixed lists: kinds of help, urgency, visibility, cost, reasons for declining, review ratings
 * and designations (DOMAIN.md, "Need / offer" and "Organisation"). Labels are what pages show.
 */

export const HELP_KINDS = [
  { value: 'visit', label: 'A visit to see practice' },
  { value: 'mentoring', label: 'Mentoring or coaching' },
  { value: 'peer-review', label: 'Peer review' },
  { value: 'training', label: 'Training' },
  { value: 'shared-resources', label: 'Shared staff or resources' },
  { value: 'joint-practice', label: 'Joint practice development' },
  { value: 'specialist-service', label: 'Specialist service' },
] as const;
export type HelpKind = (typeof HELP_KINDS)[number]['value'];
export const HELP_KIND_VALUES = HELP_KINDS.map((k) => k.value) as [HelpKind, ...HelpKind[]];

export const URGENCIES = [
  { value: 'low', label: 'Low: within the year' },
  { value: 'medium', label: 'Medium: this term or next' },
  { value: 'high', label: 'High: as soon as possible' },
] as const;
export type Urgency = (typeof URGENCIES)[number]['value'];
export const URGENCY_VALUES = URGENCIES.map((u) => u.value) as [Urgency, ...Urgency[]];

/** Who may see a need. Facilitators only is the default: a need can be sensitive. */
export const NEED_VISIBILITIES = [
  { value: 'facilitators', label: 'Facilitators only', hint: 'Trellis facilitators see it and can broker for you. Nobody else does.' },
  { value: 'named', label: 'Named organisations', hint: 'Facilitators and the organisations you name.' },
  { value: 'members', label: 'Signed-in members', hint: 'Anyone signed in to Trellis.' },
  { value: 'public', label: 'Everyone', hint: 'Listed publicly, including in the open API.' },
] as const;
export type NeedVisibility = (typeof NEED_VISIBILITIES)[number]['value'];
export const NEED_VISIBILITY_VALUES = NEED_VISIBILITIES.map((v) => v.value) as [NeedVisibility, ...NeedVisibility[]];

export const OFFER_VISIBILITIES = [
  { value: 'public', label: 'Everyone', hint: 'Listed publicly, including in the open API.' },
  { value: 'members', label: 'Signed-in members', hint: 'Anyone signed in to Trellis.' },
] as const;
export type OfferVisibility = (typeof OFFER_VISIBILITIES)[number]['value'];
export const OFFER_VISIBILITY_VALUES = OFFER_VISIBILITIES.map((v) => v.value) as [OfferVisibility, ...OfferVisibility[]];

/** How an offer reaches people: in person within a radius of the organisation's location, remotely, or both. */
export const DELIVERY_MODES = [
  { value: 'in-person', label: 'In person' },
  { value: 'remote', label: 'Remotely' },
  { value: 'both', label: 'In person or remotely' },
] as const;
export type DeliveryMode = (typeof DELIVERY_MODES)[number]['value'];
export const DELIVERY_MODE_VALUES = DELIVERY_MODES.map((v) => v.value) as [DeliveryMode, ...DeliveryMode[]];

export const COSTS = [
  { value: 'free', label: 'Free' },
  { value: 'cost-recovery', label: 'Cost recovery' },
] as const;
export type Cost = (typeof COSTS)[number]['value'];
export const COST_VALUES = COSTS.map((v) => v.value) as [Cost, ...Cost[]];

export const DECLINE_REASONS = [
  { value: 'no-capacity', label: 'No capacity at the moment' },
  { value: 'not-a-fit', label: 'Not a good fit' },
  { value: 'timing', label: 'The timing does not work' },
  { value: 'other', label: 'Another reason' },
] as const;
export type DeclineReason = (typeof DECLINE_REASONS)[number]['value'];
export const DECLINE_REASON_VALUES = DECLINE_REASONS.map((v) => v.value) as [DeclineReason, ...DeclineReason[]];

/** Termly review ratings, each with a defined meaning so that "amber" means the same to everyone. */
export const REVIEW_RATINGS = [
  { value: 'green', label: 'Green: on track', hint: 'The agreed activities are happening and the objectives look achievable by the end date.' },
  { value: 'amber', label: 'Amber: some concerns', hint: 'Some activities have slipped or an objective is at risk; both sides have agreed what to change.' },
  { value: 'red', label: 'Red: off track', hint: 'The support is not happening as agreed or the objectives will not be met without a new plan; a facilitator is told.' },
] as const;
export type ReviewRating = (typeof REVIEW_RATINGS)[number]['value'];
export const REVIEW_RATING_VALUES = REVIEW_RATINGS.map((v) => v.value) as [ReviewRating, ...ReviewRating[]];

/** Designations recorded on organisations; they count as evidence in offers. */
export const DESIGNATIONS = [
  { value: 'teaching-school-hub', label: 'Teaching School Hub' },
  { value: 'maths-hub', label: 'Maths Hub' },
  { value: 'english-hub', label: 'English Hub' },
  { value: 'research-school', label: 'Research School' },
  { value: 'national-leader-of-education', label: 'National Leader of Education' },
  { value: 'executive-head', label: 'Executive headteacher' },
] as const;
export type Designation = (typeof DESIGNATIONS)[number]['value'];
export const DESIGNATION_VALUES = DESIGNATIONS.map((v) => v.value) as [Designation, ...Designation[]];

const labelOf = (list: readonly { value: string; label: string }[]) => (value: string) => list.find((x) => x.value === value)?.label ?? value;
export const helpKindLabel = labelOf(HELP_KINDS);
export const urgencyLabel = labelOf(URGENCIES);
export const needVisibilityLabel = labelOf(NEED_VISIBILITIES);
export const offerVisibilityLabel = labelOf(OFFER_VISIBILITIES);
export const deliveryModeLabel = labelOf(DELIVERY_MODES);
export const costLabel = labelOf(COSTS);
export const declineReasonLabel = labelOf(DECLINE_REASONS);
export const reviewRatingLabel = labelOf(REVIEW_RATINGS);
export const designationLabel = labelOf(DESIGNATIONS);

/** Supports are reviewed termly: one is due for review this many days after its start or its last review. */
export const REVIEW_INTERVAL_DAYS = 91;
/** The facilitator view lists introductions waiting longer than this for an answer. */
export const INTRODUCTION_WAIT_DAYS = 14;
