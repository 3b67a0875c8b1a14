import { ConfigurationError } from '@itsm/platform';
import { loadProblemConfig } from './problem.config';

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadProblemConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return (error as Error).message.split('\n');
  }
  throw new Error('expected a ConfigurationError');
}

describe('the problem service configuration', () => {
  it('has defaults', () => {
    const config = loadProblemConfig({});
    expect(config).toMatchObject({
      candidateRules: ['same_ci', 'same_service_category'],
      candidateThreshold: 3,
      candidateWindowMs: 24 * 3_600_000,
      candidateFromMajorIncidents: true,
    });
    expect(config.priorityMatrix).toBeDefined();
  });

  it('reads each setting', () => {
    expect(
      loadProblemConfig({
        PROBLEM_CANDIDATE_RULES: ' same_ci , same_ci',
        PROBLEM_CANDIDATE_THRESHOLD: '5',
        PROBLEM_CANDIDATE_WINDOW: 'PT1H',
        PROBLEM_CANDIDATE_FROM_MAJOR_INCIDENTS: 'false',
      }),
    ).toMatchObject({
      candidateRules: ['same_ci'],
      candidateThreshold: 5,
      candidateWindowMs: 3_600_000,
      candidateFromMajorIncidents: false,
    });
    expect(loadProblemConfig({ PROBLEM_CANDIDATE_RULES: '' }).candidateRules).toEqual([]);
  });

  it('lists every bad value at once, by variable', () => {
    const message = problemsOf({
      PRIORITY_MATRIX: 'nonsense',
      PROBLEM_CANDIDATE_RULES: 'same_ci,same_moon',
      PROBLEM_CANDIDATE_THRESHOLD: '1',
      PROBLEM_CANDIDATE_WINDOW: 'a day',
      PROBLEM_CANDIDATE_FROM_MAJOR_INCIDENTS: 'perhaps',
    }).join('\n');
    for (const variable of [
      'PRIORITY_MATRIX',
      'PROBLEM_CANDIDATE_RULES',
      'PROBLEM_CANDIDATE_THRESHOLD',
      'PROBLEM_CANDIDATE_WINDOW',
      'PROBLEM_CANDIDATE_FROM_MAJOR_INCIDENTS',
    ]) {
      expect(message).toContain(variable);
    }
    expect(message).toContain('same_moon');
  });

  it.each(['PT0S', '-PT1H', 'P'])('refuses the window %s', (window) => {
    expect(problemsOf({ PROBLEM_CANDIDATE_WINDOW: window }).join('\n')).toContain(
      'PROBLEM_CANDIDATE_WINDOW',
    );
  });

  it.each(['1', '1001', '2.5', 'three'])('refuses the threshold %s', (threshold) => {
    expect(problemsOf({ PROBLEM_CANDIDATE_THRESHOLD: threshold }).join('\n')).toContain(
      'PROBLEM_CANDIDATE_THRESHOLD',
    );
  });
});
