import { z } from 'zod';
import { THEME_VALUES } from '../../domain/practice/themes';
import { blankToUndefined, isoDate, listOf, text } from '../../web/form-fields';

export const NETWORK_KINDS = [
  { value: 'mutual-support', label: 'Mutual-support group of leaders' },
  { value: 'learning-community', label: 'Collaborative learning community' },
  { value: 'peer-review', label: 'Peer-review cluster (3 to 7 schools)' },
] as const;
export const networkKindLabel = (v: string) => NETWORK_KINDS.find((k) => k.value === v)?.label ?? v;


export const NetworkForm = z.object({
  name: z.string({ message: 'Enter a name' }).trim().min(1, 'Enter a name').max(150, 'Name must be 150 characters or fewer'),
  purpose: text('Purpose', 5000),
  kind: z.enum(NETWORK_KINDS.map((k) => k.value) as [string, ...string[]], { message: 'Choose the kind of network' }),
  themes: listOf(z.enum(THEME_VALUES, { message: 'Choose themes from the list' }), 6, 'Choose 6 themes or fewer'),
});
export type NetworkForm = z.output<typeof NetworkForm>;

export const NetworkMemberForm = z.object({ organisationId: z.string({ message: 'Choose an organisation' }).uuid('Choose an organisation from the list') });

export const MeetingForm = z.object({
  heldOn: isoDate('date of the meeting'),
  agenda: text('Agenda', 5000),
  notes: text('Notes', 20_000),
  attendance: listOf(z.string().uuid('Choose organisations from the list'), 50, 'Too many organisations'),
});
export type MeetingForm = z.output<typeof MeetingForm>;

export const ActionForm = z.object({
  description: z.string({ message: 'Describe the action' }).trim().min(1, 'Describe the action').max(1000, 'Description must be 1,000 characters or fewer'),
  ownerEmail: z.preprocess(blankToUndefined, z.string().trim().email('Enter the owner’s email address, like name@example.org').optional()),
  dueOn: isoDate('due date'),
});
export type ActionForm = z.output<typeof ActionForm>;

export const LinkForm = z.object({
  linkTitle: z.string({ message: 'Enter a title' }).trim().min(1, 'Enter a title').max(200, 'Title must be 200 characters or fewer'),
  url: z.string({ message: 'Enter a web address' }).trim().url('Enter a web address starting https://').refine((u) => /^https?:\/\//.test(u), 'Enter a web address starting https://'),
});

export const LearningForm = z.object({ text: z.string({ message: 'Write what you learned' }).trim().min(1, 'Write what you learned').max(5000, 'Write 5,000 characters or fewer') });
export type LearningForm = z.output<typeof LearningForm>;

export const NetworkParams = z.object({ id: z.string().uuid('There is no such network') });
