import { trendOf, type ReportLine, type ServiceReport } from '../domain/service-report';
import { displayedValue, reportCsv, reportPdf } from './report-rendering';

const line = (
  metric: string,
  values: (number | null)[],
  sla: string | null = null,
): ReportLine => ({
  metric,
  name: metric,
  unit: 'count',
  sla,
  higherIsBetter: false,
  values,
  trend: trendOf(values, false),
});

const report: ServiceReport = {
  service: { id: '3f8f1c1e-8f0e-4d8e-9a55-2f1a6c1f1b11', name: '=HYPERLINK("x")' },
  period: {
    kind: 'monthly',
    label: '2026-11',
    start: '2026-10-31T23:00:00.000Z',
    end: '2026-11-30T23:00:00.000Z',
    timeZone: 'Europe/Paris',
    partial: false,
  },
  previousPeriods: ['2026-10', '2026-09', '2026-08'].map((label) => ({
    label,
    start: '',
    end: '',
  })),
  generatedAt: '2026-12-01T00:00:00.000Z',
  sections: [
    { id: 'sla', title: 'Service levels', lines: [line('sla_breaches', [1, 2, null, 0], '=cmd')] },
    { id: 'incidents', title: 'Incidents', lines: [], withheld: 'incident:read' },
  ],
  notes: null,
  actions: [],
};

describe('rendering a service report', () => {
  it('shows figures with their unit, counts whole and changes to one decimal', () => {
    expect(displayedValue(3, 'count')).toBe('3');
    expect(displayedValue(19.3333, 'count')).toBe('19.3');
    expect(displayedValue(96.5, 'percent')).toBe('96.5 %');
    expect(displayedValue(7.25, 'hours')).toBe('7.3 h');
    expect(displayedValue(null, 'days')).toBe('-');
  });

  it('writes one CSV row per line under a header naming the periods, formulas defused', () => {
    expect(reportCsv(report).toString('utf8').split('\n')).toEqual([
      'section,metric,sla,name,unit,2026-11,2026-10,2026-09,2026-08,previous_mean,change,trend',
      "sla,sla_breaches,'=cmd,sla_breaches,count,1,2,,0,1,0,steady",
      '',
    ]);
  });

  it('draws a one-page PDF', async () => {
    const pdf = await reportPdf(report);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.toString('latin1').match(/\/Type \/Page\b/g)).toHaveLength(1);
  });
});
