export type Impact = 1 | 2 | 3;
export type Urgency = 1 | 2 | 3;
export type Priority = 'P1' | 'P2' | 'P3' | 'P4' | 'P5';

/** Priority by impact (row, 1 = high) and urgency (column, 1 = high). */
export type PriorityMatrix = Readonly<Record<Impact, Readonly<Record<Urgency, Priority>>>>;

export const DEFAULT_PRIORITY_MATRIX: PriorityMatrix = {
  1: { 1: 'P1', 2: 'P2', 3: 'P3' },
  2: { 1: 'P2', 2: 'P3', 3: 'P4' },
  3: { 1: 'P3', 2: 'P4', 3: 'P5' },
};

export function priorityFor(
  impact: Impact,
  urgency: Urgency,
  matrix: PriorityMatrix = DEFAULT_PRIORITY_MATRIX,
): Priority {
  return matrix[impact][urgency];
}
