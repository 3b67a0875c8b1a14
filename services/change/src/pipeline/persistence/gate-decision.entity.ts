import { Column, Entity, PrimaryColumn } from 'typeorm';
import { type GateDecision } from '../domain/gate';

/** The last gate decision a pipeline got for a change: a new one is announced only when it differs. */
@Entity({ name: 'gate_decisions' })
export class GateDecisionEntity {
  @PrimaryColumn({ name: 'change_id', type: 'uuid', primaryKeyConstraintName: 'PK_gate_decisions' })
  changeId!: string;

  @Column({ type: 'text' })
  decision!: GateDecision;

  @Column({ type: 'text', array: true })
  reasons!: string[];

  @Column({ name: 'decided_at', type: 'timestamptz' })
  decidedAt!: Date;
}
