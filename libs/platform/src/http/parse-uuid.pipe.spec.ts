import { ValidationProblem } from '../errors/problem';
import { ParseUuidPipe } from './parse-uuid.pipe';

describe('a UUID parameter', () => {
  const pipe = new ParseUuidPipe();

  it('passes a UUID through', () => {
    const id = '0b8f3a52-5d1e-4c61-9a57-2f1a6c0e9d41';
    expect(pipe.transform(id, { type: 'param', data: 'id' })).toBe(id);
  });

  it.each(['42', 'INC0001001', '0b8f3a52-5d1e-4c61-9a57-2f1a6c0e9d4', ''])(
    'refuses %j with a 400 naming the parameter',
    (value) => {
      try {
        pipe.transform(value, { type: 'param', data: 'ciId' });
        throw new Error('accepted');
      } catch (error) {
        expect(error).toBeInstanceOf(ValidationProblem);
        expect((error as ValidationProblem).fieldErrors).toEqual([
          { field: 'ciId', message: 'must be a UUID' },
        ]);
      }
    },
  );
});
