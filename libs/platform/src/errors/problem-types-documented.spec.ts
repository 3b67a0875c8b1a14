import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

const REPO_ROOT = join(__dirname, '../../../..');
const CONVENTIONS = join(REPO_ROOT, 'docs/api-conventions.md');

function* sourceFiles(directory: string): Generator<string> {
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) yield* sourceFiles(path);
    else if (entry.name.endsWith('.ts') && !/\.(spec|integration-spec)\.ts$/.test(entry.name))
      yield path;
  }
}

/** Whether `node` is `new ProblemException(…)` or a `super(…)` of a class extending it. */
function raisesProblem(node: ts.Node): node is ts.NewExpression | ts.CallExpression {
  if (ts.isNewExpression(node))
    return ts.isIdentifier(node.expression) && node.expression.text === 'ProblemException';
  if (!ts.isCallExpression(node) || node.expression.kind !== ts.SyntaxKind.SuperKeyword)
    return false;
  const owner = ts.findAncestor(node, ts.isClassDeclaration);
  return (
    owner?.heritageClauses?.some((clause) =>
      clause.types.some((type) => type.expression.getText() === 'ProblemException'),
    ) ?? false
  );
}

/** Every problem type the services can answer, with where each is raised. */
function problemTypesRaised(): { types: Map<string, string[]>; unreadable: string[] } {
  const types = new Map<string, string[]>();
  const unreadable: string[] = [];
  for (const root of ['libs', 'services']) {
    for (const file of sourceFiles(join(REPO_ROOT, root))) {
      const text = readFileSync(file, 'utf8');
      if (!text.includes('ProblemException')) continue;
      const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
      const visit = (node: ts.Node): void => {
        if (raisesProblem(node)) {
          const where = `${relative(REPO_ROOT, file)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
          const slug = node.arguments?.[1];
          if (slug && ts.isStringLiteralLike(slug))
            types.set(slug.text, [...(types.get(slug.text) ?? []), where]);
          else unreadable.push(where);
        }
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
  }
  return { types, unreadable };
}

/** The types in the first column of docs/api-conventions.md's table of problem types. */
function problemTypesDocumented(): Set<string> {
  const rows = readFileSync(CONVENTIONS, 'utf8').matchAll(/^\| `([a-z-]+)` +\| [0-9]{3} +\|/gm);
  return new Set([...rows].map((row) => row[1]));
}

describe('the problem types of the API', () => {
  const { types, unreadable } = problemTypesRaised();
  const documented = problemTypesDocumented();

  it('are raised with a literal type, so that this check can read them', () => {
    expect(unreadable).toEqual([]);
    expect(types.size).toBeGreaterThan(10);
  });

  it('are each documented in docs/api-conventions.md', () => {
    const undocumented = [...types]
      .filter(([slug]) => !documented.has(slug))
      .map(([slug, where]) => `${slug} (${where.join(', ')})`);
    expect(undocumented).toEqual([]);
  });

  it('are all raised somewhere, so the documentation lists no type the API never answers', () => {
    expect([...documented].filter((slug) => !types.has(slug))).toEqual([]);
  });
});
