import { ValidationProblem } from '../errors/problem';
import { RefuseNulCharactersPipe } from './refuse-nul-characters.pipe';

describe('RefuseNulCharactersPipe', () => {
  const pipe = new RefuseNulCharactersPipe();

  function refusedFields(value: unknown, type: 'body' | 'query' | 'param', data?: string) {
    try {
      pipe.transform(value, { type, data });
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationProblem);
      return (error as ValidationProblem).fieldErrors.map((problem) => problem.field);
    }
    return [];
  }

  it('passes values without U+0000 through unchanged', () => {
    const body = { title: 'Printer on fire', tags: ['a', 'b'], nested: { n: 1, ok: null } };
    expect(pipe.transform(body, { type: 'body' })).toBe(body);
  });

  it('names every field of a body holding U+0000, nested and in arrays, keys included', () => {
    expect(
      refusedFields(
        {
          title: 'a\u0000b',
          description: 'fine',
          alerts: [{ labels: { team: 'ok' } }, { labels: { team: '\u0000' } }],
          attributes: { 'bad\u0000key': 1 },
        },
        'body',
      ),
    ).toEqual(['title', 'alerts[1].labels.team', 'attributes.bad\u0000key']);
  });

  it('names the query or path parameter holding U+0000', () => {
    expect(refusedFields({ q: 'printer\u0000', state: 'new' }, 'query')).toEqual(['q']);
    expect(refusedFields('abc\u0000', 'param', 'id')).toEqual(['id']);
  });
});
