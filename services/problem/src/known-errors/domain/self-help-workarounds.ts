/**
 * What a requester raising an incident is shown of the known errors that read like what
 * they type: the symptom and the workaround, nothing of the analysis behind them (root
 * cause, solution, CIs, problem), which stays with those who read known errors.
 */
export interface SelfHelpWorkaround {
  id: string;
  number: string;
  title: string;
  symptom: string;
  workaround: string;
}

/** How many a self-help search answers unless asked for fewer, and at most. */
export const DEFAULT_WORKAROUNDS = 5;
export const MAX_WORKAROUNDS = 10;

interface KnownErrorText {
  id: string;
  number: string;
  title: string;
  symptom: string;
  workaround: string | null;
}

/** The known errors that have a workaround to offer, in the order given, as a requester sees them. */
export function selfHelpWorkarounds(
  knownErrors: readonly KnownErrorText[],
  limit: number,
): SelfHelpWorkaround[] {
  return knownErrors
    .filter((knownError) => (knownError.workaround ?? '').trim() !== '')
    .slice(0, limit)
    .map(({ id, number, title, symptom, workaround }) => ({
      id,
      number,
      title,
      symptom,
      workaround: workaround as string,
    }));
}
