import { describe, expect, it } from '@jest/globals';
import {
  createKnownErrorBody,
  createProblemBody,
  isValid,
  knownErrorChanges,
  knownErrorFormComplete,
  problemFormComplete,
  type ProblemForm,
} from './problem-forms';

const blank: ProblemForm = {
  title: '',
  description: '',
  category: '',
  impact: '',
  urgency: '',
  assignmentGroup: '',
  workaround: '',
};

describe('the problem form', () => {
  it('needs a title unless opened from an incident', () => {
    expect(problemFormComplete(blank)).toBe(false);
    expect(problemFormComplete({ ...blank, title: '  ' })).toBe(false);
    expect(problemFormComplete({ ...blank, title: 'Mail drops' })).toBe(true);
    expect(problemFormComplete({ ...blank, fromIncidentId: 'i1' })).toBe(true);
  });

  it('sends what was filled in, trimmed, levels as numbers', () => {
    expect(
      createProblemBody({
        ...blank,
        title: ' Mail drops ',
        impact: '2',
        assignmentGroup: 'problem-team',
        workaround: '  ',
      }),
    ).toEqual({ title: 'Mail drops', impact: 2, assignmentGroup: 'problem-team' });
    expect(createProblemBody({ ...blank, fromIncidentId: 'i1' })).toEqual({ fromIncidentId: 'i1' });
  });
});

describe('the known-error form', () => {
  const form = {
    title: '',
    symptom: '',
    workaround: '',
    rootCause: '',
    solution: '',
    errorCode: '',
    category: '',
  };

  it('needs a symptom', () => {
    expect(knownErrorFormComplete(form)).toBe(false);
    expect(knownErrorFormComplete({ ...form, symptom: 'Outlook disconnects' })).toBe(true);
  });

  it('sends what was filled in, with the problem it comes from', () => {
    expect(
      createKnownErrorBody({
        ...form,
        symptom: ' Outlook disconnects ',
        workaround: 'Restart Outlook',
        problemId: 'p1',
      }),
    ).toEqual({ symptom: 'Outlook disconnects', workaround: 'Restart Outlook', problemId: 'p1' });
  });
});

describe('isValid', () => {
  const now = Date.parse('2026-03-02T10:00:00.000Z');
  it('is valid without an end, or before it', () => {
    expect(isValid(null, now)).toBe(true);
    expect(isValid('2026-03-02T10:00:01.000Z', now)).toBe(true);
    expect(isValid('2026-03-02T10:00:00.000Z', now)).toBe(false);
  });
});

describe('knownErrorChanges', () => {
  const current = {
    title: 'Mail drops',
    symptom: 'Outlook disconnects',
    workaround: 'Restart Outlook',
    rootCause: null,
    solution: null,
    errorCode: 'VPN-1',
    category: null,
  };
  const form = {
    title: 'Mail drops',
    symptom: 'Outlook disconnects',
    workaround: 'Restart Outlook',
    rootCause: '',
    solution: '',
    errorCode: 'VPN-1',
    category: '',
  };

  it('sends nothing when nothing changed', () => {
    expect(knownErrorChanges(current, form)).toEqual({});
  });

  it('sends the changed fields trimmed, and null for an emptied optional one', () => {
    expect(
      knownErrorChanges(current, {
        ...form,
        workaround: ' Reconnect the VPN ',
        errorCode: '',
        solution: 'Patch 4.2',
      }),
    ).toEqual({ workaround: 'Reconnect the VPN', errorCode: null, solution: 'Patch 4.2' });
  });

  it('never clears the title or the symptom', () => {
    expect(knownErrorChanges(current, { ...form, title: ' ', symptom: '' })).toEqual({});
  });
});
