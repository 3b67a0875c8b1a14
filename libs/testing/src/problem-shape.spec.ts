import { problemShape } from './problem-shape';

describe('the shape of a problem answer', () => {
  it('leaves out what differs per request and writes the ids given as {id}', () => {
    const answer = (id: string, requestId: string) => ({
      type: 'https://itsm.dev/problems/not-found',
      status: 404,
      detail: `Incident ${id} does not exist`,
      instance: `/api/v1/incidents/${id}`,
      requestId,
    });
    expect(problemShape(answer('a-1', 'r-1'), ['a-1'])).toEqual(
      problemShape(answer('b-2', 'r-2'), ['b-2']),
    );
    expect(problemShape(answer('a-1', 'r-1'), ['a-1'])).toEqual({
      type: 'https://itsm.dev/problems/not-found',
      status: 404,
      detail: 'Incident {id} does not exist',
    });
  });
});
