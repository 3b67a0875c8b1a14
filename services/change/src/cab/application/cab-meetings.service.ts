import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type Caller } from '@itsm/auth';
import { type CabMeetingSnapshot } from '@itsm/contracts';
import { RecordConflict } from '@itsm/domain';
import {
  NotFoundProblem,
  PreconditionFailedProblem,
  answeringDomainErrors,
  decodeCursor,
  historyView,
  pageOf,
  toHttpProblem,
  type HistoryEntryView,
  type Page,
} from '@itsm/platform';
import { DataSource, type EntityManager } from 'typeorm';
import {
  ChangeApprovalsService,
  type ChangeApprovalsView,
} from '../../approvals/application/change-approvals.service';
import { awaitingGroupsOf } from '../../approvals/domain/approval-round';
import { ApprovalRoundsRepository } from '../../approvals/persistence/approval-rounds.repository';
import { ChangesRepository } from '../../changes/persistence/changes.repository';
import {
  agendaDecision,
  agendaFor,
  type AgendaCandidate,
  type CabAgenda,
} from '../domain/cab-agenda';
import {
  applyCabMeetingChanges,
  cabOccurrences,
  defineCabMeeting,
  nextCabOccurrence,
  occurrenceStartingAt,
  retireCabMeeting,
  type CabMeeting,
  type CabMeetingChanges,
  type CabOccurrence,
  type NewCabMeeting,
} from '../domain/cab-meeting';
import { CabMeetingsRepository } from '../persistence/cab-meetings.repository';
import {
  toAgendaItemView,
  toDecisionView,
  toOccurrenceView,
  toSnapshot,
  type CabAgendaView,
  type CabDecisionView,
  type CabOccurrenceView,
} from './cab-meeting-view';
import { CabMeetingWriter } from './cab-meeting-writer';

export interface AgendaItemDecision {
  meetingStart: Date;
  changeId: string;
  decision: 'approve' | 'reject';
  comment?: string;
}

/** A decision recorded at a meeting, with where the change's approval stands after it. */
export interface RecordedDecision {
  decision: CabDecisionView;
  approvals: ChangeApprovalsView;
}

/**
 * The use cases on CAB meetings: define, read, list, change and retire the recurring
 * definitions; their meetings in a range; a meeting's agenda (the changes awaiting its
 * group's decision, in the order to take them) and minutes; and recording a decision on
 * an agenda item, which decides the change's approval round for the meeting's group.
 */
@Injectable()
export class CabMeetingsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly meetings: CabMeetingsRepository,
    private readonly writer: CabMeetingWriter,
    private readonly rounds: ApprovalRoundsRepository,
    private readonly changes: ChangesRepository,
    private readonly approvals: ChangeApprovalsService,
  ) {}

  async create(
    input: Omit<NewCabMeeting, 'createdBy'>,
    caller: Caller,
  ): Promise<CabMeetingSnapshot> {
    return answeringDomainErrors(() =>
      this.dataSource.transaction(async (manager) => {
        const meeting = defineCabMeeting(
          { ...input, createdBy: caller.username },
          randomUUID(),
          new Date(),
        );
        await this.writer.create(manager, meeting);
        return toSnapshot(meeting);
      }),
    );
  }

  async get(id: string): Promise<CabMeetingSnapshot> {
    return toSnapshot(await this.existing(id));
  }

  async list(request: {
    active?: boolean;
    cursor?: string;
    limit: number;
  }): Promise<Page<CabMeetingSnapshot>> {
    const after = request.cursor
      ? decodeCursor(request.cursor, { name: 'text', id: 'uuid' })
      : undefined;
    const rows = await this.meetings.list(request.active, after, request.limit + 1);
    return pageOf(rows, request.limit, toSnapshot, (row) => ({ name: row.name, id: row.id }));
  }

  async change(
    id: string,
    changes: CabMeetingChanges,
    expectedVersion: number,
    caller: Caller,
  ): Promise<CabMeetingSnapshot> {
    return this.modify(id, expectedVersion, (manager, current, now) =>
      this.writer.commit(
        manager,
        current,
        applyCabMeetingChanges(current, changes),
        'updated',
        caller.username,
        now,
      ),
    );
  }

  async retire(id: string, expectedVersion: number, caller: Caller): Promise<CabMeetingSnapshot> {
    return this.modify(id, expectedVersion, (manager, current, now) =>
      this.writer.commit(
        manager,
        current,
        retireCabMeeting(current, caller.username, now),
        'retired',
        caller.username,
        now,
      ),
    );
  }

  async history(
    id: string,
    page: { cursor?: string; limit: number },
  ): Promise<Page<HistoryEntryView>> {
    await this.existing(id);
    const after = page.cursor ? decodeCursor(page.cursor, { id: 'integer' }).id : undefined;
    const rows = await this.meetings.listHistory(id, after, page.limit);
    return pageOf(rows, page.limit, historyView, (row) => ({ id: row.id }));
  }

  /** The meetings starting in [from, to), oldest first. */
  async occurrences(id: string, from: Date, to: Date): Promise<{ items: CabOccurrenceView[] }> {
    const meeting = await this.existing(id);
    return answeringDomainErrors(async () => ({
      items: cabOccurrences(meeting, from, to).map(toOccurrenceView),
    }));
  }

  /**
   * A meeting's agenda and minutes: the one starting at `start`, or else the one in
   * progress or, when none is, the next one.
   */
  async agenda(id: string, start: Date | undefined): Promise<CabAgendaView> {
    const meeting = await this.active(id);
    return answeringDomainErrors(async () => {
      const occurrence = start
        ? occurrenceStartingAt(meeting, start, 'start')
        : currentOrNext(meeting, new Date());
      const agenda = await this.agendaAt(meeting, occurrence);
      const decisions = await this.meetings.decisionsOf(meeting.id, occurrence.start);
      return {
        meeting: { id: meeting.id, name: meeting.name, approverGroup: meeting.approverGroup },
        ...toOccurrenceView(occurrence),
        items: agenda.items.map(toAgendaItemView),
        decisions: decisions.map(toDecisionView),
      };
    });
  }

  /**
   * Records the meeting's decision on one item of its agenda, by a member of its group:
   * the change's approval round takes it as the group's decision (scheduling the change
   * when its rule is met, returning it to `new` on a rejection), and the meeting's
   * minutes keep it, in one transaction.
   */
  async decide(id: string, input: AgendaItemDecision, caller: Caller): Promise<RecordedDecision> {
    const meeting = await this.active(id);
    let recorded: CabDecisionView | undefined;
    const approvals = await answeringDomainErrors(async () => {
      const occurrence = occurrenceStartingAt(meeting, input.meetingStart, 'meetingStart');
      const now = new Date();
      if (occurrence.start > now)
        throw new RecordConflict(
          `the meeting of "${meeting.name}" of ${occurrence.start.toISOString()} has not started`,
          'CAB_MEETING_NOT_STARTED',
        );
      const agenda = await this.agendaAt(meeting, occurrence);
      const request = agendaDecision(
        meeting,
        agenda,
        { changeId: input.changeId, decision: input.decision, comment: input.comment ?? null },
        caller,
        now,
      );
      return this.approvals.decide(
        input.changeId,
        {
          decision: request.decision,
          comment: input.comment,
          onBehalfOf: request.for,
          cabMeeting: { id: meeting.id, name: meeting.name, start: occurrence.start },
        },
        caller,
        async (manager, change, result) => {
          const minute = {
            meetingId: meeting.id,
            meetingStart: occurrence.start,
            changeId: change.id,
            changeNumber: change.number,
            approvalRound: result.round.number,
            decision: result.decision.decision,
            comment: result.decision.comment,
            recordedBy: caller.username,
            recordedAt: result.decision.at,
          };
          await this.meetings.insertDecision(manager, minute);
          recorded = toDecisionView(minute);
        },
      );
    });
    if (!recorded) throw new Error('the decision was not recorded in the minutes');
    return { decision: recorded, approvals };
  }

  private async agendaAt(meeting: CabMeeting, occurrence: CabOccurrence): Promise<CabAgenda> {
    const pending = await this.rounds.pending();
    const awaiting = new Map(
      pending
        .map(({ changeId, round }) => [changeId, awaitingGroupsOf(round)] as const)
        .filter(([, groups]) => groups.includes(meeting.approverGroup)),
    );
    const changes = await this.changes.findByIds([...awaiting.keys()]);
    const candidates: AgendaCandidate[] = changes.map((change) => ({
      changeId: change.id,
      number: change.number,
      title: change.title,
      model: change.model,
      risk: change.risk,
      state: change.state,
      plannedStart: change.plannedStart,
      awaitingGroups: awaiting.get(change.id) ?? [],
    }));
    return agendaFor(meeting, occurrence, candidates);
  }

  private async modify(
    id: string,
    expectedVersion: number,
    work: (manager: EntityManager, current: CabMeeting, now: Date) => Promise<CabMeeting>,
  ): Promise<CabMeetingSnapshot> {
    return answeringDomainErrors(() =>
      this.dataSource.transaction(async (manager) => {
        const current = await this.meetings.findForUpdate(manager, id);
        if (!current) throw new NotFoundProblem('CAB meeting', id);
        if (current.version !== expectedVersion)
          throw new PreconditionFailedProblem(current.version);
        return toSnapshot(await work(manager, current, new Date()));
      }),
    );
  }

  private async existing(id: string): Promise<CabMeeting> {
    const meeting = await this.meetings.findById(id);
    if (!meeting) throw new NotFoundProblem('CAB meeting', id);
    return meeting;
  }

  private async active(id: string): Promise<CabMeeting> {
    const meeting = await this.existing(id);
    if (!meeting.active)
      throw toHttpProblem(
        new RecordConflict(`"${meeting.name}" is retired`, 'CAB_MEETING_RETIRED'),
      );
    return meeting;
  }
}

/** The meeting in progress at `now`, or else the next one. */
function currentOrNext(meeting: CabMeeting, now: Date): CabOccurrence {
  const inProgressFrom = new Date(now.getTime() - meeting.durationMinutes * 60_000 + 1);
  const occurrence = nextCabOccurrence(meeting, inProgressFrom);
  if (!occurrence)
    throw new RecordConflict(`"${meeting.name}" has no meeting to come`, 'CAB_MEETING_ENDED');
  return occurrence;
}
