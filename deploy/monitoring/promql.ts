import { parser } from '@prometheus-io/lezer-promql';
import { type SyntaxNode } from '@lezer/common';

/**
 * Grafana's own variables stand where PromQL wants a duration (`[$__rate_interval]`); every
 * other variable the dashboards use stands inside a label matcher's string, which the
 * parser reads as any string.
 */
function withoutGrafanaDurations(expression: string): string {
  return expression.replace(/\$\{?__(rate_interval|interval|range)\}?/g, '5m');
}

/** The text of a node's first child of that type, if any. */
function childText(node: SyntaxNode, type: string, source: string): string | undefined {
  const child = node.getChild(type);
  return child ? source.slice(child.from, child.to) : undefined;
}

/**
 * The metric names a PromQL expression (or a Grafana target's, its variables in place)
 * selects, in order of appearance, each once: the name before a selector's braces, or its
 * `__name__="..."` matcher. Parsed with Prometheus' own grammar (@prometheus-io/lezer-promql):
 * an expression it cannot parse throws.
 */
export function metricNamesIn(expression: string): string[] {
  const source = withoutGrafanaDurations(expression);
  const tree = parser.parse(source);
  const names: string[] = [];
  let error: number | undefined;
  tree.iterate({
    enter(ref) {
      if (ref.type.isError) error ??= ref.from;
      if (ref.name !== 'VectorSelector') return;
      const node = ref.node;
      const identifier = childText(node, 'Identifier', source);
      if (identifier) {
        names.push(identifier);
        return;
      }
      for (const matcher of node.getChild('LabelMatchers')?.getChildren('UnquotedLabelMatcher') ??
        []) {
        const label = childText(matcher, 'LabelName', source);
        const op = matcher.getChild('MatchOp')?.getChild('EqlSingle');
        const value = childText(matcher, 'StringLiteral', source);
        if (label === '__name__' && op && value) names.push(JSON.parse(value) as string);
      }
    },
  });
  if (error !== undefined)
    throw new Error(`not PromQL at ${error}: ${source.slice(Math.max(0, error - 20), error + 20)}`);
  return [...new Set(names)];
}

/** A Grafana `label_values(selector, label)` variable query's metric, if it names one. */
export function metricNamesInVariableQuery(query: string): string[] {
  const match = /^\s*label_values\((.*),\s*[a-zA-Z_]\w*\s*\)\s*$/.exec(query);
  return match ? metricNamesIn(match[1]) : [];
}

/**
 * The names a metric family of that type serves: a histogram's `_bucket`, `_sum` and
 * `_count`, a summary's quantiles, `_sum` and `_count`, a counter's name as typed.
 */
export function seriesNamesOf(family: string, type: string): string[] {
  if (type === 'histogram') return [`${family}_bucket`, `${family}_sum`, `${family}_count`];
  if (type === 'summary') return [family, `${family}_sum`, `${family}_count`];
  return [family];
}

/** The metric names a Prometheus text exposition serves, from its `# TYPE` lines. */
export function servedMetricNames(exposition: string): string[] {
  const names: string[] = [];
  for (const [, family, type] of exposition.matchAll(/^# TYPE (\S+) (\S+)$/gm))
    names.push(...seriesNamesOf(family, type));
  return names.sort();
}
