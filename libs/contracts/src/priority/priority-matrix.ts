export type Impact = 1 | 2 | 3;
export type Urgency = 1 | 2 | 3;
export type Priority = 'P1' | 'P2' | 'P3' | 'P4' | 'P5';
export const PRIORITIES: readonly Priority[] = ['P1', 'P2', 'P3', 'P4', 'P5'];

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

/**
 * Reads a matrix written as `<impact>x<urgency>=<priority>` cells, e.g.
 * `1x1=P1,1x2=P2`. Cells not given keep the default, so an operator can change one
 * cell; anything unreadable is an error naming the cell.
 */
export function parsePriorityMatrix(text: string): PriorityMatrix {
  const matrix = {
    1: { ...DEFAULT_PRIORITY_MATRIX[1] },
    2: { ...DEFAULT_PRIORITY_MATRIX[2] },
    3: { ...DEFAULT_PRIORITY_MATRIX[3] },
  };
  const cells = text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  for (const cell of cells) {
    const match = /^([123])\s*x\s*([123])\s*=\s*(P[1-5])$/i.exec(cell);
    if (!match) throw new Error(`priority matrix cell "${cell}" is not <impact>x<urgency>=P<1-5>`);
    const impact = Number(match[1]) as Impact;
    const urgency = Number(match[2]) as Urgency;
    matrix[impact][urgency] = match[3].toUpperCase() as Priority;
  }
  return matrix;
}
