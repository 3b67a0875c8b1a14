import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { type Response } from 'express';
import { RequirePermission } from '@itsm/auth';
import {
  ApiProblemResponses,
  ExpectedVersion,
  Idempotent,
  PageQuery,
  decodeCursor,
  entityTag,
  pageOf,
  type Page,
  CsvExport,
} from '@itsm/platform';
import {
  CalendarsService,
  toCalendarView,
  type CalendarView,
} from '../application/calendars.service';
import {
  CalendarPageResponse,
  CalendarResponse,
  CreateCalendarDto,
  UpdateCalendarDto,
} from './dto/calendar.dto';

const ID_PARAM = {
  name: 'id',
  description: 'The calendar id, or `24x7` for the built-in calendar.',
};

@ApiTags('service levels')
@Controller('api/v1/calendars')
export class CalendarsController {
  constructor(private readonly calendars: CalendarsService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Define a business calendar',
    description:
      'Working hours per weekday in an IANA time zone, and holidays. Durations on it count only working time.',
  })
  @ApiResponse({ status: 201, type: CalendarResponse, description: 'The calendar as recorded.' })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiProblemResponses(400, 409)
  @RequirePermission('sla:write')
  @Idempotent()
  async create(
    @Body() body: CreateCalendarDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CalendarView> {
    const calendar = await this.calendars.create(body);
    response
      .location(`/api/v1/calendars/${calendar.id}`)
      .setHeader('ETag', entityTag(calendar.version));
    return calendar;
  }

  @Get()
  @ApiOperation({ summary: 'List business calendars', description: 'In name order.' })
  @ApiResponse({ status: 200, type: CalendarPageResponse, description: 'One page.' })
  @ApiProblemResponses(400)
  @RequirePermission('sla:read')
  @CsvExport<CalendarView>({
    name: 'calendars',
    columns: [
      'id',
      'name',
      'description',
      'timeZone',
      'workingHours',
      'holidays',
      'builtIn',
      'version',
      'createdAt',
      'updatedAt',
    ],
  })
  async list(@Query() query: PageQuery): Promise<Page<CalendarView>> {
    const after = query.cursor ? decodeCursor(query.cursor, { name: 'text' }).name : undefined;
    const rows = await this.calendars.list(query.limit + 1, after);
    return pageOf(rows, query.limit, toCalendarView, (row) => ({ name: row.name }));
  }

  @Get(':id')
  @ApiOperation({ summary: 'Read a business calendar' })
  @ApiParam(ID_PARAM)
  @ApiResponse({ status: 200, type: CalendarResponse, description: 'The calendar.' })
  @ApiProblemResponses(404)
  @RequirePermission('sla:read')
  async get(
    @Param('id') id: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CalendarView> {
    const calendar = await this.calendars.get(id);
    response.setHeader('ETag', entityTag(calendar.version));
    return calendar;
  }

  @Patch(':id')
  @ApiOperation({
    summary: 'Change a business calendar',
    description:
      'Needs If-Match. Running timers count on the changed calendar from then on. The built-in `24x7` cannot be changed (409).',
  })
  @ApiParam(ID_PARAM)
  @ApiHeader({
    name: 'If-Match',
    required: true,
    description: 'The ETag the calendar was read with.',
  })
  @ApiResponse({
    status: 200,
    type: CalendarResponse,
    description: 'The calendar after the change.',
  })
  @ApiProblemResponses(400, 404, 409, 412, 428)
  @RequirePermission('sla:write')
  async update(
    @Param('id') id: string,
    @Body() body: UpdateCalendarDto,
    @ExpectedVersion() expectedVersion: number,
    @Res({ passthrough: true }) response: Response,
  ): Promise<CalendarView> {
    const calendar = await this.calendars.change(id, body, expectedVersion);
    response.setHeader('ETag', entityTag(calendar.version));
    return calendar;
  }
}
