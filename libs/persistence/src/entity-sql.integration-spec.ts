import { randomUUID } from 'node:crypto';
import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn, type DataSource } from 'typeorm';
import { dropScratchSchema, scratchSchema } from '@itsm/testing';
import {
  NEW_ROW,
  StatementParameters,
  insertRowsSql,
  qualifiedTable,
  selectColumnsSql,
  updateRowSql,
} from './index';

@Entity({ name: 'tickets' })
class Ticket {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'title', type: 'text' })
  title!: string;

  @Column({ name: 'opened_at', type: 'timestamptz' })
  openedAt!: Date;

  @Column({ name: 'ci_ids', type: 'uuid', array: true })
  ciIds!: string[];

  @Column({ type: 'text', array: true })
  tags!: string[];

  @Column({ type: 'smallint' })
  impact!: number;

  @Column({ name: 'parent_id', type: 'uuid', nullable: true })
  parentId!: string | null;

  @Column({ type: 'jsonb', nullable: true })
  details!: unknown;

  @Column({ type: 'boolean' })
  major!: boolean;

  @Column({ name: 'title_upper', type: 'text', insert: false, update: false, select: false })
  titleUpper!: string | null;
}

@Entity({ name: 'ticket_notes' })
class TicketNote {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @Column({ type: 'text' })
  text!: string;
}

describe('entity rows as plain SQL', () => {
  let dataSource: DataSource;

  beforeAll(async () => {
    dataSource = await scratchSchema(
      `entity_sql_${randomUUID().slice(0, 8)}`,
      [Ticket, TicketNote],
      async (runner) => {
        const schema = (runner.connection.options as { schema: string }).schema;
        await runner.query(`CREATE TABLE "${schema}".tickets (
          id uuid PRIMARY KEY, title text NOT NULL, opened_at timestamptz NOT NULL,
          ci_ids uuid[] NOT NULL, tags text[] NOT NULL, impact smallint NOT NULL,
          parent_id uuid, details jsonb, major boolean NOT NULL, title_upper text)`);
        await runner.query(`CREATE TABLE "${schema}".ticket_notes (
          id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, text text NOT NULL)`);
      },
    );
  });

  afterAll(() => dropScratchSchema(dataSource));

  it('inserts entities with every column type and reads them back in the shape TypeORM gives', async () => {
    const metadata = dataSource.getMetadata(Ticket);
    const tickets: Ticket[] = [
      {
        id: randomUUID(),
        title: `It's "quoted" and has a \\ backslash`,
        openedAt: new Date('2026-12-05T08:30:00.123Z'),
        ciIds: [randomUUID(), randomUUID()],
        tags: ['printer', 'floor 3', 'with,comma'],
        impact: 2,
        parentId: null,
        details: { nested: [1, 'two', null], flag: true },
        major: false,
        titleUpper: null,
      },
      {
        id: randomUUID(),
        title: 'Second',
        openedAt: new Date('2026-12-05T09:00:00Z'),
        ciIds: [],
        tags: [],
        impact: 1,
        parentId: randomUUID(),
        details: null,
        major: true,
        titleUpper: null,
      },
    ];
    const parameters = new StatementParameters();
    await dataSource.query(
      insertRowsSql(metadata, tickets, parameters, { title_upper: `upper(${NEW_ROW}.title)` }),
      parameters.values,
    );

    const read = await dataSource.query<Ticket[]>(
      `SELECT ${selectColumnsSql(metadata, 't')} FROM ${qualifiedTable(metadata)} t WHERE t.id = ANY($1) ORDER BY t.title DESC`,
      [tickets.map((ticket) => ticket.id)],
    );
    const expected = tickets.map(({ titleUpper: _computed, ...selected }) => selected);
    expect(read).toEqual(expected.sort((a, b) => b.title.localeCompare(a.title)));
    expect(read).toEqual(
      await dataSource
        .getRepository(Ticket)
        .find({ where: tickets.map(({ id }) => ({ id })), order: { title: 'DESC' } }),
    );
    const [computed] = await dataSource.query<{ title_upper: string }[]>(
      `SELECT title_upper FROM ${qualifiedTable(metadata)} WHERE id = $1`,
      [tickets[1]?.id],
    );
    expect(computed?.title_upper).toBe('SECOND');
  });

  it('updates a row to an entity, its key visible to computed columns, and no other row', async () => {
    const metadata = dataSource.getMetadata(Ticket);
    const table = qualifiedTable(metadata);
    const ticket = (id: string, title: string): Ticket => ({
      id,
      title,
      openedAt: new Date('2026-12-05T10:00:00Z'),
      ciIds: [],
      tags: ['old'],
      impact: 3,
      parentId: null,
      details: null,
      major: false,
      titleUpper: null,
    });
    const [changed, untouched] = [ticket(randomUUID(), 'before'), ticket(randomUUID(), 'other')];
    const inserting = new StatementParameters();
    await dataSource.query(
      insertRowsSql(metadata, [changed, untouched], inserting),
      inserting.values,
    );

    const next: Ticket = { ...changed, title: 'after', tags: ['new', 'tags'], major: true };
    const updating = new StatementParameters();
    await dataSource.query(
      updateRowSql(metadata, next, updating, {
        title_upper: `upper(${NEW_ROW}.title) || ' ' || ${NEW_ROW}.id`,
      }),
      updating.values,
    );
    const rows = await dataSource.query<(Ticket & { title_upper: string | null })[]>(
      `SELECT ${selectColumnsSql(metadata, 't')}, t.title_upper FROM ${table} t WHERE t.id = ANY($1)`,
      [[changed.id, untouched.id]],
    );
    const byId = new Map(rows.map((row) => [row.id, row]));
    const { titleUpper: _next, ...nextSelected } = next;
    const { titleUpper: _untouched, ...untouchedSelected } = untouched;
    expect(byId.get(changed.id)).toEqual({
      ...nextSelected,
      title_upper: `AFTER ${changed.id}`,
    });
    expect(byId.get(untouched.id)).toEqual({ ...untouchedSelected, title_upper: null });
  });

  it('leaves generated columns to the database and numbers the rows in the order given', async () => {
    const parameters = new StatementParameters();
    const texts = ['first', 'second', 'third', 'fourth'];
    await dataSource.query(
      insertRowsSql(
        dataSource.getMetadata(TicketNote),
        texts.map((text) => ({ text })),
        parameters,
      ),
      parameters.values,
    );
    const notes = await dataSource.getRepository(TicketNote).find({ order: { id: 'ASC' } });
    expect(notes.map((note) => note.text)).toEqual(texts);
  });

  it('numbers placeholders across parts written apart', () => {
    const parameters = new StatementParameters();
    expect(parameters.add('a')).toBe('$1');
    expect(parameters.add(['b'])).toBe('$2');
    expect(parameters.values).toEqual(['a', ['b']]);
  });
});
