/** One step of a state machine: the fields it cannot do without, and those it takes besides. */
export interface TransitionRule<Field extends string> {
  requires: readonly Field[];
  accepts?: readonly Field[];
}

/** A move open from a record's state, and what a `POST .../transitions` to it must and may carry. */
export interface OpenTransition<State extends string, Field extends string> {
  to: State;
  requires: Field[];
  accepts: Field[];
}

/**
 * The moves a machine's row allows, in the row's order, each with the fields its body
 * must and may carry. A required field the record already holds (`onRecord`) need not be
 * given again, so it moves from `requires` to `accepts`: what a client needs to build the
 * step's form without a copy of the rules.
 */
export function openTransitionsOf<State extends string, Field extends string>(
  row: Partial<Record<State, TransitionRule<Field>>>,
  onRecord: (field: Field) => boolean = () => false,
): OpenTransition<State, Field>[] {
  return (Object.entries(row) as [State, TransitionRule<Field> | undefined][]).flatMap(
    ([to, rule]) =>
      rule
        ? [
            {
              to,
              requires: rule.requires.filter((field) => !onRecord(field)),
              accepts: [...rule.requires.filter(onRecord), ...(rule.accepts ?? [])],
            },
          ]
        : [],
  );
}
