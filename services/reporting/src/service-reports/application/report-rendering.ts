import { DateTime } from 'luxon';
import PDFDocument from 'pdfkit';
import { stringify } from 'csv-stringify/sync';
import { type ReportFormat } from '../domain/report-schedule';
import { type ReportLine, type ServiceReport } from '../domain/service-report';

/** A report's figure as people read it: units, one decimal for durations and percentages. */
export function displayedValue(value: number | null, unit: ReportLine['unit']): string {
  if (value === null) return '-';
  switch (unit) {
    case 'count':
      // A count is whole; its change against a mean is not.
      return Number.isInteger(value) ? String(value) : value.toFixed(1);
    case 'percent':
      return `${value.toFixed(1)} %`;
    case 'hours':
      return `${value.toFixed(1)} h`;
    case 'days':
      return `${value.toFixed(1)} d`;
  }
}

const TREND_WORDS = { better: 'better', worse: 'worse', steady: 'steady' } as const;

function trendText(line: ReportLine): string {
  const { change, direction } = line.trend;
  if (direction === null || change === null) return '-';
  const sign = change > 0 ? '+' : '';
  return `${TREND_WORDS[direction]} (${sign}${displayedValue(change, line.unit)})`;
}

function lineName(line: ReportLine): string {
  return line.sla === null ? line.name : `${line.name}: ${line.sla}`;
}

/** The period's first and last day as its zone's calendar has them. */
function localDays(report: ServiceReport): string {
  const { start, end, timeZone } = report.period;
  const day = (instant: DateTime) => instant.setZone(timeZone).toFormat('d LLL yyyy');
  return `${day(DateTime.fromISO(start))} to ${day(DateTime.fromISO(end).minus({ milliseconds: 1 }))}`;
}

function serviceTitle(report: ServiceReport): string {
  return report.service.name ?? report.service.id;
}

/** Every figure, one row per line: the period, the three before it (newest first), their mean and the trend. */
export function reportCsv(report: ServiceReport): Buffer {
  const labels = [report.period.label, ...report.previousPeriods.map(({ label }) => label)];
  const rows: (string | number | null)[][] = [
    ['section', 'metric', 'sla', 'name', 'unit', ...labels, 'previous_mean', 'change', 'trend'],
  ];
  for (const section of report.sections)
    for (const line of section.lines)
      rows.push([
        section.id,
        line.metric,
        line.sla,
        line.name,
        line.unit,
        ...line.values,
        line.trend.previousMean,
        line.trend.change,
        line.trend.direction,
      ]);
  // A leading apostrophe keeps a spreadsheet from running a name that starts like a formula.
  return Buffer.from(stringify(rows, { cast: { string: guardFormula } }), 'utf8');
}

function guardFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** The report as one or two A4 pages: title, period, a table of figures per section, notes, actions. */
export async function reportPdf(report: ServiceReport): Promise<Buffer> {
  const generatedAt = new Date(report.generatedAt);
  const document = new PDFDocument({
    size: 'A4',
    margin: 40,
    info: {
      Title: `Service report: ${serviceTitle(report)}, ${report.period.label}`,
      Subject: `Service ${report.service.id}, ${report.period.kind} period ${report.period.label} (${report.period.timeZone})`,
      Creator: 'ITSM platform reporting service',
      CreationDate: generatedAt,
      ModDate: generatedAt,
    },
  });
  const chunks: Buffer[] = [];
  document.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<void>((resolve, reject) => {
    document.on('end', resolve);
    document.on('error', reject);
  });

  document
    .font('Helvetica-Bold')
    .fontSize(16)
    .text(`Service report: ${serviceTitle(report)}`);
  document
    .font('Helvetica')
    .fontSize(10)
    .text(
      `Period ${report.period.label} (${report.period.kind}): ${localDays(report)}, ${report.period.timeZone}${report.period.partial ? ' - the period is not over yet, its figures will still move' : ''}`,
    )
    .text(`Service ${report.service.id}. Generated ${report.generatedAt}.`)
    .moveDown();

  const labels = [report.period.label, ...report.previousPeriods.map(({ label }) => label)];
  for (const section of report.sections) {
    document.font('Helvetica-Bold').fontSize(12).text(section.title).moveDown(0.3);
    document.font('Helvetica').fontSize(8);
    if (section.withheld) {
      document.text(`Not shown: reading these figures needs ${section.withheld}.`).moveDown();
      continue;
    }
    document
      .table({
        columnStyles: [150, '*', '*', '*', '*', 90],
        defaultStyle: { padding: 2, border: 0.5 },
        data: [
          ['Figure', ...labels, 'Trend vs mean'].map((text) => ({
            text,
            type: 'TH' as const,
            font: { src: 'Helvetica-Bold' },
          })),
          ...section.lines.map((line) => [
            lineName(line),
            ...line.values.map((value) => displayedValue(value, line.unit)),
            trendText(line),
          ]),
        ],
      })
      .moveDown();
  }

  document.font('Helvetica-Bold').fontSize(12).text('Notes', 40).moveDown(0.3);
  document
    .font('Helvetica')
    .fontSize(9)
    .text(
      report.notes
        ? `${report.notes.text}\n(${report.notes.updatedBy}, ${report.notes.updatedAt})`
        : 'No notes.',
    )
    .moveDown();
  document.font('Helvetica-Bold').fontSize(12).text('Agreed actions').moveDown(0.3);
  document.font('Helvetica').fontSize(9);
  if (report.actions.length === 0) document.text('No actions.');
  for (const action of report.actions)
    document.text(
      `- ${action.description}${action.owner ? `; owner ${action.owner}` : ''}${action.dueDate ? `; due ${action.dueDate}` : ''} (${action.createdBy}, ${action.createdAt})`,
    );
  document.end();
  await ended;
  return Buffer.concat(chunks);
}

export async function renderReport(report: ServiceReport, format: ReportFormat): Promise<Buffer> {
  switch (format) {
    case 'json':
      return Buffer.from(JSON.stringify(report), 'utf8');
    case 'csv':
      return reportCsv(report);
    case 'pdf':
      return reportPdf(report);
  }
}
