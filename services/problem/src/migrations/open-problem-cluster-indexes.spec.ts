import { type QueryRunner } from 'typeorm';
import { OPEN_PROBLEM_STATES } from '../problems/domain/problem';
import { OpenProblemClusterIndexes1765800000000 } from './1765800000000-open-problem-cluster-indexes';

describe('the partial indexes on open problems', () => {
  it('cover exactly the states the candidate rules count as open', async () => {
    const statements: string[] = [];
    const runner = { query: (sql: string) => Promise.resolve(statements.push(sql)) };
    await new OpenProblemClusterIndexes1765800000000().up(runner as unknown as QueryRunner);
    expect(statements).toHaveLength(2);
    for (const statement of statements) {
      const list = /"state" IN \(([^)]*)\)/.exec(statement)?.[1] ?? '';
      expect(list.split(',').map((state) => state.trim().replace(/'/g, ''))).toEqual([
        ...OPEN_PROBLEM_STATES,
      ]);
    }
  });
});
