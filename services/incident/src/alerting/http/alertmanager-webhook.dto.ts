import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  Equals,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsString,
  MaxLength,
  Min,
  MinLength,
  ValidateBy,
  ValidateNested,
  type ValidationOptions,
} from 'class-validator';
import {
  ALERT_STATUSES,
  ALERTMANAGER_PAYLOAD_VERSION,
  type AlertmanagerAlert,
  type AlertmanagerPayload,
  type AlertStatus,
} from '../domain/alertmanager-payload';

/** A label or annotation set: an object whose every value is a string. */
function IsStringMap(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isStringMap',
      validator: {
        validate: (value: unknown) =>
          typeof value === 'object' &&
          value !== null &&
          !Array.isArray(value) &&
          Object.values(value).every((item) => typeof item === 'string'),
        defaultMessage: (args) => `${args?.property ?? 'value'} must be an object of string values`,
      },
    },
    options,
  );
}

const stringMap = {
  type: 'object',
  additionalProperties: { type: 'string' },
} as const;

export class AlertmanagerAlertDto implements AlertmanagerAlert {
  @ApiProperty({ enum: ALERT_STATUSES })
  @IsIn(ALERT_STATUSES)
  status!: AlertStatus;

  @ApiProperty({ ...stringMap, example: { alertname: 'DiskFull', severity: 'critical' } })
  @IsStringMap()
  labels!: Record<string, string>;

  @ApiProperty({ ...stringMap, example: { summary: 'Disk 95% full on web01' } })
  @IsStringMap()
  annotations!: Record<string, string>;

  @ApiProperty({ format: 'date-time' })
  @IsISO8601()
  startsAt!: string;

  @ApiProperty({
    format: 'date-time',
    description: '`0001-01-01T00:00:00Z` while firing with no end known.',
  })
  @IsISO8601()
  endsAt!: string;

  @ApiProperty({ description: 'May be empty.' })
  @IsString()
  generatorURL!: string;

  @ApiProperty({
    description:
      "Identifies the alert (a hash of its labels) from firing to resolution; Alertmanager's are 16 hex digits.",
    example: 'e5bad21c7d46e087',
    maxLength: 128,
  })
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  fingerprint!: string;
}

/** An Alertmanager webhook notification, payload version 4. */
export class AlertmanagerWebhookDto implements AlertmanagerPayload {
  @ApiProperty({ enum: [ALERTMANAGER_PAYLOAD_VERSION] })
  @Equals(ALERTMANAGER_PAYLOAD_VERSION, { message: 'version must be "4"' })
  version!: typeof ALERTMANAGER_PAYLOAD_VERSION;

  @ApiProperty()
  @IsString()
  groupKey!: string;

  @ApiProperty({ type: 'integer', minimum: 0 })
  @IsInt()
  @Min(0)
  truncatedAlerts!: number;

  @ApiProperty({ enum: ALERT_STATUSES })
  @IsIn(ALERT_STATUSES)
  status!: AlertStatus;

  @ApiProperty()
  @IsString()
  receiver!: string;

  @ApiProperty(stringMap)
  @IsStringMap()
  groupLabels!: Record<string, string>;

  @ApiProperty(stringMap)
  @IsStringMap()
  commonLabels!: Record<string, string>;

  @ApiProperty(stringMap)
  @IsStringMap()
  commonAnnotations!: Record<string, string>;

  @ApiProperty({ description: "The sending Alertmanager's URL." })
  @IsString()
  externalURL!: string;

  @ApiProperty({ type: [AlertmanagerAlertDto] })
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => AlertmanagerAlertDto)
  alerts!: AlertmanagerAlertDto[];
}
