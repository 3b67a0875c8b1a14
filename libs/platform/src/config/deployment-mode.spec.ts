import {
  DEVELOPMENT_PASSWORD,
  MIN_PASSWORD_LENGTH,
  deploymentMode,
  developmentValueProblems,
  passwordWeakness,
} from './deployment-mode';

const variablesNamed = (problems: string[]) => problems.map((problem) => problem.split(':')[0]);

describe('the deployment mode', () => {
  it('is development or test only when NODE_ENV says so, production otherwise', () => {
    expect(deploymentMode({ NODE_ENV: 'development' })).toBe('development');
    expect(deploymentMode({ NODE_ENV: 'test' })).toBe('test');
    expect(deploymentMode({ NODE_ENV: 'production' })).toBe('production');
    expect(deploymentMode({})).toBe('production');
    expect(deploymentMode({ NODE_ENV: 'staging' })).toBe('production');
    expect(deploymentMode({ NODE_ENV: 'Development' })).toBe('production');
  });
});

describe('development values', () => {
  it.each([
    ['DATABASE_URL', { DATABASE_URL: 'postgres://itsm:itsm@db.example.com:5432/itsm' }],
    ['DATABASE_URL', { DATABASE_URL: 'postgresql://postgres:postgres@127.0.0.1:54329/itsm' }],
    ['PGPASSWORD', { PGPASSWORD: 'itsm' }],
    ['ITSM_DEV_PASSWORD', { ITSM_DEV_PASSWORD: DEVELOPMENT_PASSWORD }],
  ])('names %s when it carries a development value', (variable, source) => {
    expect(variablesNamed(developmentValueProblems(source))).toEqual([variable]);
  });

  it('lists each at once', () => {
    expect(
      variablesNamed(
        developmentValueProblems({
          DATABASE_URL: 'postgres://itsm:itsm@127.0.0.1:54329/itsm',
          ITSM_DEV_PASSWORD: DEVELOPMENT_PASSWORD,
        }),
      ),
    ).toEqual(['DATABASE_URL', 'ITSM_DEV_PASSWORD']);
  });

  it('accepts a deployment’s own credentials, and URLs without a password', () => {
    expect(
      developmentValueProblems({
        DATABASE_URL: 'postgres://itsm:s3cr3t-from-vault@db:5432/itsm',
        ITSM_DEV_PASSWORD: 'a passphrase of several words',
      }),
    ).toEqual([]);
    expect(developmentValueProblems({ DATABASE_URL: 'postgres://itsm@db/itsm' })).toEqual([]);
    expect(developmentValueProblems({ DATABASE_URL: 'not a url' })).toEqual([]);
  });
});

describe('password strength', () => {
  it(`needs at least ${MIN_PASSWORD_LENGTH} characters`, () => {
    expect(passwordWeakness('Xq7!pL2#')).toMatch(/at least 12 characters/);
  });

  it.each(['passwordpassword', 'itsm-dev-itsm-dev', 'Summer2026!Summer', 'administrator1'])(
    'refuses %s as guessable',
    (password) => {
      expect(passwordWeakness(password, ['admin', 'agent'])).toMatch(/too easy to guess/);
    },
  );

  it.each(['correct horse battery staple', 'x7Kp-29fQ-mm3L-Tq8r'])('accepts %s', (password) => {
    expect(passwordWeakness(password)).toBeUndefined();
  });
});
