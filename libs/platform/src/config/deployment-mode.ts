import type * as ZxcvbnCore from '@zxcvbn-ts/core';
import type * as ZxcvbnCommon from '@zxcvbn-ts/language-common';
import type * as ZxcvbnEnglish from '@zxcvbn-ts/language-en';

/**
 * How a process was started: `development` by `npm start`, `test` by `npm test` and the
 * test harness, `production` otherwise. Read from `NODE_ENV`; anything else, unset
 * included, is production, so a deployment that forgets to say gets the safe behaviour.
 */
export type DeploymentMode = 'development' | 'test' | 'production';

export function deploymentMode(source: NodeJS.ProcessEnv = process.env): DeploymentMode {
  const value = source.NODE_ENV;
  return value === 'development' || value === 'test' ? value : 'production';
}

/** The local development password of the seeded users (`npm start`, `npm test`). */
export const DEVELOPMENT_PASSWORD = 'itsm-dev';

/** The local PostgreSQL's roles (deploy/local/postgres.sh): `itsm/itsm` and the superuser `postgres/postgres`. */
const DEVELOPMENT_DATABASE_CREDENTIALS: readonly { user: string; password: string }[] = [
  { user: 'itsm', password: 'itsm' },
  { user: 'postgres', password: 'postgres' },
];

function databaseUrlCarriesDevelopmentCredentials(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false; // an invalid URL is reported by the schema
  }
  const user = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  return DEVELOPMENT_DATABASE_CREDENTIALS.some(
    (credentials) => credentials.user === user && credentials.password === password,
  );
}

/**
 * Values that only make sense on a developer's machine, each naming its variable. Checked
 * on the raw environment, so a service started with any of them outside development
 * refuses to start even when it does not read the variable itself (a copied `.env`).
 */
export function developmentValueProblems(source: NodeJS.ProcessEnv): string[] {
  const problems: string[] = [];
  if (source.DATABASE_URL && databaseUrlCarriesDevelopmentCredentials(source.DATABASE_URL))
    problems.push(
      'DATABASE_URL: carries the local development credentials; give the service its own database role and password',
    );
  if (
    source.PGPASSWORD &&
    DEVELOPMENT_DATABASE_CREDENTIALS.some(({ password }) => password === source.PGPASSWORD)
  )
    problems.push('PGPASSWORD: is a local development password');
  if (source.ITSM_DEV_PASSWORD === DEVELOPMENT_PASSWORD)
    problems.push(
      `ITSM_DEV_PASSWORD: is the development password ${DEVELOPMENT_PASSWORD}, known to everyone`,
    );
  return problems;
}

/** Shortest password accepted outside development. */
export const MIN_PASSWORD_LENGTH = 12;
/** zxcvbn's top score: an estimated 10^10 guesses or more. */
const MIN_PASSWORD_SCORE = 4;

let estimator: ZxcvbnCore.ZxcvbnFactory | undefined;

/**
 * Loaded and built on first use: the dictionaries cost a process about 0.3 s of CPU and
 * 30 MB when required, and only a production gateway in local mode needs them.
 */
function passwordEstimator(): ZxcvbnCore.ZxcvbnFactory {
  if (estimator) return estimator;
  /* eslint-disable @typescript-eslint/no-require-imports -- a static import would load them in every service at start */
  const { ZxcvbnFactory } = require('@zxcvbn-ts/core') as typeof ZxcvbnCore;
  const common = require('@zxcvbn-ts/language-common') as typeof ZxcvbnCommon;
  const english = require('@zxcvbn-ts/language-en') as typeof ZxcvbnEnglish;
  /* eslint-enable @typescript-eslint/no-require-imports */
  estimator = new ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...english.dictionary },
    graphs: common.adjacencyGraphs,
    translations: english.translations,
  });
  return estimator;
}

/**
 * Why a password is too weak for a deployment, or undefined when it is strong enough:
 * at least {@link MIN_PASSWORD_LENGTH} characters and zxcvbn's top score, with the
 * product's own words (`itsm`, the development password, and the seeded user names a
 * caller gives) counted as guessable.
 */
export function passwordWeakness(
  password: string,
  guessableWords: readonly string[] = [],
): string | undefined {
  if (password.length < MIN_PASSWORD_LENGTH)
    return `must have at least ${MIN_PASSWORD_LENGTH} characters`;
  const result = passwordEstimator().check(password, [
    'itsm',
    DEVELOPMENT_PASSWORD,
    ...guessableWords,
  ]);
  if (result.score >= MIN_PASSWORD_SCORE) return undefined;
  const hint = [result.feedback.warning, ...result.feedback.suggestions].filter(Boolean).join(' ');
  return `is too easy to guess (zxcvbn score ${result.score} of 4, 4 needed)${hint ? `: ${hint}` : ''}`;
}
