import { Injectable } from '@nestjs/common';
import { NotFoundProblem, type Page, pageOf } from '@itsm/platform';
import { CalendarsRepository } from '../../calendars/persistence/calendars.repository';
import { type BusinessCalendar } from '../../calendars/domain/business-calendar';
import { snapshotOf, type SlaTimer } from '../domain/sla-timer';
import {
  SlaTimersRepository,
  type TimerFilters,
  type TimerListPosition,
  type TimerSort,
} from '../persistence/sla-timers.repository';

export {
  TIMER_SORTS,
  type TimerListPosition,
  type TimerSort,
} from '../persistence/sla-timers.repository';
import { type Caller } from '@itsm/auth';

export interface SlaTimerView {
  id: string;
  recordId: string;
  recordType: string;
  recordNumber: string;
  slaId: string;
  slaVersion: number;
  slaName: string;
  kind: string;
  target: string;
  state: string;
  startedAt: string;
  dueAt: string | null;
  elapsedMs: number;
  durationMs: number;
  percentUsed: number;
  breachedAt: string | null;
  stoppedAt: string | null;
  pauseReason: string | null;
  calendarId: string;
  warningThresholds: number[];
  businessServiceId: string | null;
  assignmentGroup: string | null;
}

/** A timer as of `now`: a running timer's elapsed time and percentage are computed at read time. */
function viewOf(timer: SlaTimer, calendar: BusinessCalendar, now: number): SlaTimerView {
  const snapshot = snapshotOf(timer, calendar, now);
  return {
    ...snapshot,
    kind: timer.kind,
    durationMs: timer.durationMs,
    pauseReason: timer.pauseReason,
    calendarId: timer.calendarId,
    warningThresholds: timer.warningThresholds,
    businessServiceId: timer.businessServiceId,
    assignmentGroup: timer.assignmentGroup,
  };
}

@Injectable()
export class TimersQueryService {
  constructor(
    private readonly timers: SlaTimersRepository,
    private readonly calendars: CalendarsRepository,
  ) {}

  /** A timer of a record the caller may not see is answered as one that does not exist. */
  async get(id: string, reader: Caller): Promise<SlaTimerView> {
    const timer = await this.timers.findVisibleById(id, reader);
    if (!timer) throw new NotFoundProblem('SLA timer', id);
    const [view] = await this.views([timer]);
    return view;
  }

  async list(
    reader: Caller,
    filters: TimerFilters,
    page: { sort: TimerSort; limit: number; after?: TimerListPosition },
  ): Promise<Page<SlaTimerView>> {
    const rows = await this.timers.list(reader, filters, { ...page, limit: page.limit + 1 });
    const views = await this.views(rows);
    return pageOf(
      views,
      page.limit,
      (view) => view,
      // A list in due order holds only timers that have a due time.
      (view) => ({ [page.sort]: view[page.sort] as string, id: view.id }),
    );
  }

  private async views(timers: SlaTimer[]): Promise<SlaTimerView[]> {
    const calendars = await this.calendars.loadForArithmetic(
      timers.map((timer) => timer.calendarId),
    );
    const now = Date.now();
    return timers.map((timer) => viewOf(timer, calendars.get(timer.calendarId)!, now));
  }
}
