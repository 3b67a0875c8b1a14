import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PERIOD_KINDS } from '../domain/report-period';
import { RECIPIENT_KINDS, REPORT_FORMATS } from '../domain/report-schedule';

/** Documentation of the answers (the controllers return plain objects of these shapes). */
export class ReportTrendResponse {
  @ApiProperty({
    type: 'number',
    nullable: true,
    description: 'Mean of the previous periods that have a figure.',
  })
  previousMean!: number | null;

  @ApiProperty({
    type: 'number',
    nullable: true,
    description: "The period's figure less that mean.",
  })
  change!: number | null;

  @ApiProperty({ enum: ['better', 'worse', 'steady'], nullable: true })
  direction!: string | null;
}

export class ReportLineResponse {
  @ApiProperty({
    example: 'mttr',
    description: 'The metric id (GET /api/v1/reports/metrics/{id}).',
  })
  metric!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ enum: ['count', 'hours', 'days', 'percent'] })
  unit!: string;

  @ApiProperty({
    type: 'string',
    nullable: true,
    description: 'The SLA definition, for compliance per SLA.',
  })
  sla!: string | null;

  @ApiProperty()
  higherIsBetter!: boolean;

  @ApiProperty({
    type: 'array',
    items: { type: 'number', nullable: true },
    description:
      'The figure of the period, then of each of the three previous periods, newest first.',
  })
  values!: (number | null)[];

  @ApiProperty({ type: ReportTrendResponse })
  trend!: ReportTrendResponse;
}

export class ReportSectionResponse {
  @ApiProperty({ enum: ['sla', 'incidents', 'problems', 'changes'] })
  id!: string;

  @ApiProperty()
  title!: string;

  @ApiProperty({ type: [ReportLineResponse] })
  lines!: ReportLineResponse[];

  @ApiPropertyOptional({ description: 'The permission the reader lacks to see this section.' })
  withheld?: string;
}

export class ReportNotesResponse {
  @ApiProperty()
  text!: string;

  @ApiProperty()
  updatedBy!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}

export class AgreedActionResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  description!: string;

  @ApiProperty({ type: 'string', nullable: true })
  owner!: string | null;

  @ApiProperty({ type: 'string', format: 'date', nullable: true })
  dueDate!: string | null;

  @ApiProperty()
  createdBy!: string;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
}

export class ReportPeriodResponse {
  @ApiProperty({ enum: PERIOD_KINDS })
  kind!: string;

  @ApiProperty({ example: '2026-11' })
  label!: string;

  @ApiProperty({ format: 'date-time' })
  start!: string;

  @ApiProperty({ format: 'date-time' })
  end!: string;

  @ApiProperty({ example: 'Europe/Paris' })
  timeZone!: string;

  @ApiProperty({ description: 'The period is not over: its figures still move.' })
  partial!: boolean;
}

export class ServiceReportResponse {
  @ApiProperty({
    type: 'object',
    properties: {
      id: { type: 'string', format: 'uuid' },
      name: { type: 'string', nullable: true },
    },
  })
  service!: { id: string; name: string | null };

  @ApiProperty({ type: ReportPeriodResponse })
  period!: ReportPeriodResponse;

  @ApiProperty({
    type: 'array',
    items: {
      type: 'object',
      properties: {
        label: { type: 'string' },
        start: { type: 'string', format: 'date-time' },
        end: { type: 'string', format: 'date-time' },
      },
    },
  })
  previousPeriods!: { label: string; start: string; end: string }[];

  @ApiProperty({ format: 'date-time' })
  generatedAt!: string;

  @ApiProperty({ type: [ReportSectionResponse] })
  sections!: ReportSectionResponse[];

  @ApiProperty({ type: ReportNotesResponse, nullable: true })
  notes!: ReportNotesResponse | null;

  @ApiProperty({ type: [AgreedActionResponse] })
  actions!: AgreedActionResponse[];
}

export class RecipientResponse {
  @ApiProperty({ enum: RECIPIENT_KINDS })
  kind!: string;

  @ApiProperty()
  name!: string;
}

export class ScheduleResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  serviceId!: string;

  @ApiProperty({ enum: PERIOD_KINDS })
  periodKind!: string;

  @ApiProperty()
  timeZone!: string;

  @ApiProperty({ enum: Object.keys(REPORT_FORMATS) })
  format!: string;

  @ApiProperty({ type: [RecipientResponse] })
  recipients!: RecipientResponse[];

  @ApiProperty()
  enabled!: boolean;

  @ApiProperty()
  version!: number;

  @ApiProperty()
  createdBy!: string;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty()
  updatedBy!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}

export class SchedulePageResponse {
  @ApiProperty({ type: [ScheduleResponse] })
  items!: ScheduleResponse[];

  @ApiProperty({ type: 'string', nullable: true })
  nextCursor!: string | null;
}

export class FigureDifferenceResponse {
  @ApiProperty({
    example: 'sla_compliance[P1 resolution]',
    description: 'The metric, and the SLA in brackets.',
  })
  line!: string;

  @ApiProperty({ example: '2026-11' })
  period!: string;

  @ApiProperty({ type: 'number', nullable: true })
  previous!: number | null;

  @ApiProperty({ type: 'number', nullable: true })
  restated!: number | null;
}

export class ProducedReportResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  scheduleId!: string;

  @ApiProperty({ format: 'uuid' })
  serviceId!: string;

  @ApiProperty({ example: '2026-11' })
  period!: string;

  @ApiProperty()
  timeZone!: string;

  @ApiProperty({ description: '1 as produced; one more per restatement.' })
  version!: number;

  @ApiProperty({ enum: Object.keys(REPORT_FORMATS) })
  format!: string;

  @ApiProperty({ example: 'application/pdf' })
  mediaType!: string;

  @ApiProperty({ description: 'SHA-256 of the stored bytes, hex.' })
  sha256!: string;

  @ApiProperty({ description: 'The event archive sequence the inputs reached (a decimal string).' })
  archiveSequence!: string;

  @ApiProperty({ format: 'date-time' })
  generatedAt!: string;

  @ApiProperty({ description: '`schedule`, or the user who restated it.' })
  generatedBy!: string;

  @ApiProperty({ type: 'string', nullable: true })
  reason!: string | null;

  @ApiProperty({
    type: [FigureDifferenceResponse],
    nullable: true,
    description: 'For a restatement: the figures that changed.',
  })
  differences!: FigureDifferenceResponse[] | null;

  @ApiProperty({ type: [RecipientResponse] })
  recipients!: RecipientResponse[];

  @ApiProperty({ description: 'Where the stored bytes are downloaded.' })
  download!: string;
}

export class ProducedReportListResponse {
  @ApiProperty({ type: [ProducedReportResponse] })
  items!: ProducedReportResponse[];
}
