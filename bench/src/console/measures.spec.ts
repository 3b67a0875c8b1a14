import { entryAssets, resourceLabel, summarise, timeline, transferred } from './measures';

const resource = (name: string, startTime: number, responseEnd: number, transferSize = 0) => ({
  name,
  initiatorType: 'fetch',
  startTime,
  responseEnd,
  transferSize,
  encodedBodySize: transferSize,
  decodedBodySize: transferSize * 2,
});

describe('the console benchmark arithmetic', () => {
  it('summarises samples as p50, p95, min and max, interpolated', () => {
    const values = Array.from({ length: 20 }, (_, i) => 20 - i);
    expect(summarise(values)).toEqual({ n: 20, p50: 10.5, p95: 19.1, min: 1, max: 20 });
    expect(summarise([])).toEqual({ n: 0, p50: null, p95: null, min: null, max: null });
    expect(summarise([5, Number.NaN])).toEqual({ n: 1, p50: 5, p95: 5, min: 5, max: 5 });
  });

  it('labels API calls by path with ids and query names only, assets without their hash', () => {
    const id = '0f8a3c1e-2b4d-4e6f-8a0b-1c2d3e4f5a6b';
    expect(resourceLabel(`http://h:1/api/v1/incidents/${id}/journal?limit=200`)).toBe(
      'api /incidents/:id/journal?limit',
    );
    expect(
      resourceLabel(`http://h:1/api/v1/incidents?unassigned=true&state=new&limit=50&state=x`),
    ).toBe('api /incidents?limit&state&unassigned');
    expect(resourceLabel('http://h:1/api/v1/cis/impact')).toBe('api /cis/impact');
    expect(resourceLabel('http://h:1/assets/index-DHuGGFer.js')).toBe('/assets/index.js');
    expect(resourceLabel('http://h:1/assets/ci-page-D1TTOjhf.js')).toBe('/assets/ci-page.js');
    expect(resourceLabel('http://h:1/assets/index-DVbWxlh7.css')).toBe('/assets/index.css');
    expect(resourceLabel('http://h:1/queue?view=all')).toBe('document /queue');
  });

  it('sums what a load transferred, by kind', () => {
    const sums = transferred([
      resource('http://h/queue', 0, 10, 500),
      resource('http://h/assets/index-DHuGGFer.js', 10, 50, 700_000),
      resource('http://h/assets/index-DVbWxlh7.css', 10, 30, 0),
      resource('http://h/api/v1/auth/me', 60, 70, 300),
    ]);
    expect(sums).toMatchObject({ requests: 4, fromNetwork: 3, transferBytes: 700_800 });
    expect(sums.byKind).toEqual({
      document: { requests: 1, transferBytes: 500, decodedBytes: 1000 },
      script: { requests: 1, transferBytes: 700_000, decodedBytes: 1_400_000 },
      stylesheet: { requests: 1, transferBytes: 0, decodedBytes: 0 },
      api: { requests: 1, transferBytes: 300, decodedBytes: 600 },
    });
  });

  it('lays out when each resource started and ended relative to each sample, by median end', () => {
    const rows = timeline([
      {
        zero: 100,
        resources: [
          resource('http://h/api/v1/incidents/0f8a3c1e-2b4d-4e6f-8a0b-1c2d3e4f5a6b', 101, 180),
          resource('http://h/api/v1/sla-timers?recordId=x', 190, 230),
          resource('http://h/api/v1/sla-timers?recordId=x', 300, 400),
        ],
      },
      {
        zero: 1000,
        resources: [
          resource('http://h/api/v1/incidents/1f8a3c1e-2b4d-4e6f-8a0b-1c2d3e4f5a6b', 1002, 1120),
        ],
      },
    ]);
    expect(rows.map((row) => [row.label, row.samples, row.end.p50, row.duration.max])).toEqual([
      ['api /incidents/:id', 2, 100, 118],
      ['api /sla-timers?recordId', 1, 300, 100],
    ]);
  });

  it('finds the assets index.html loads up front', () => {
    const html = `<script type="module" crossorigin src="/assets/index-DHuGGFer.js"></script>
      <link rel="icon" href="data:," />
      <link rel="stylesheet" crossorigin href="/assets/index-DVbWxlh7.css">`;
    expect(entryAssets(html)).toEqual(['assets/index-DHuGGFer.js', 'assets/index-DVbWxlh7.css']);
  });
});
