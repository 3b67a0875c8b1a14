import { Topics } from '@itsm/contracts';
import { PLATFORM_ENTITIES, RECORD_TRAIL_ENTITIES, type ServiceDefinition } from '@itsm/platform';
import { ApprovalRoundEntity } from './approvals/persistence/approval-round.entity';
import { ChangeEntity } from './changes/persistence/change.entity';
import { Initial1763780000000 } from './migrations/1763780000000-initial';
import { IdempotencyKeys1763790000000 } from './migrations/1763790000000-idempotency-keys';
import { ChangeModel1764850000000 } from './migrations/1764850000000-change-model';
import { ApprovalRounds1764860000000 } from './migrations/1764860000000-approval-rounds';
import { RiskAnswers1764861000000 } from './migrations/1764861000000-risk-answers';
import { TemplatesAndTasks1764870000000 } from './migrations/1764870000000-templates-and-tasks';
import { GateDecisions1764910000000 } from './migrations/1764910000000-gate-decisions';
import { HeldByWindow1764920000000 } from './migrations/1764920000000-held-by-window';
import { CabMeetings1764930000000 } from './migrations/1764930000000-cab-meetings';
import { GroupRecordIndex1764940000000 } from './migrations/1764940000000-group-record-index';
import { CabDecisionEntity } from './cab/persistence/cab-decision.entity';
import { CabMeetingEntity } from './cab/persistence/cab-meeting.entity';
import { GateDecisionEntity } from './pipeline/persistence/gate-decision.entity';
import { ChangeTaskEntity } from './tasks/persistence/change-task.entity';
import { ChangeTemplateVersionEntity } from './templates/persistence/change-template-version.entity';
import { ChangeTemplateEntity } from './templates/persistence/change-template.entity';
import { ChangeWindows1764900000000 } from './migrations/1764900000000-change-windows';
import { OutboxParking1765500000000 } from './migrations/1765500000000-outbox-parking';
import { DeadLetters1765600000000 } from './migrations/1765600000000-dead-letters';
import { ChangeWindowEntity } from './windows/persistence/change-window.entity';

export const changeService: ServiceDefinition = {
  name: 'change',
  defaultPort: 3003,
  schema: 'change',
  entities: [
    ...PLATFORM_ENTITIES,
    ...RECORD_TRAIL_ENTITIES,
    ChangeEntity,
    ApprovalRoundEntity,
    ChangeTemplateEntity,
    ChangeTemplateVersionEntity,
    ChangeTaskEntity,
    ChangeWindowEntity,
    GateDecisionEntity,
    CabMeetingEntity,
    CabDecisionEntity,
  ],
  migrations: [
    Initial1763780000000,
    IdempotencyKeys1763790000000,
    ChangeModel1764850000000,
    ApprovalRounds1764860000000,
    RiskAnswers1764861000000,
    TemplatesAndTasks1764870000000,
    ChangeWindows1764900000000,
    GateDecisions1764910000000,
    HeldByWindow1764920000000,
    CabMeetings1764930000000,
    GroupRecordIndex1764940000000,
    OutboxParking1765500000000,
    DeadLetters1765600000000,
  ],
  publishes: [Topics.changeEvents],
};
