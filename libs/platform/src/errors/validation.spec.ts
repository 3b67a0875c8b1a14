import { Type } from 'class-transformer';
import { IsInt, IsString, Max, ValidateNested } from 'class-validator';
import { createValidationPipe } from './validation';
import { ValidationProblem } from './problem';

class Item {
  @IsString()
  name!: string;
}

class Body {
  @IsInt()
  @Max(3)
  impact!: number;

  @ValidateNested({ each: true })
  @Type(() => Item)
  items!: Item[];
}

describe('request validation', () => {
  const pipe = createValidationPipe();
  const validate = (value: unknown) => pipe.transform(value, { type: 'body', metatype: Body });

  it('names each field at fault, nested ones by path, and refuses unknown fields', async () => {
    const error = (await validate({
      impact: 9,
      items: [{ name: 'ok' }, { name: 7 }],
      colour: 'red',
    }).catch((caught: unknown) => caught)) as ValidationProblem;
    expect(error).toBeInstanceOf(ValidationProblem);
    expect(error.getStatus()).toBe(400);
    expect(error.fieldErrors.map((fieldError) => fieldError.field).sort()).toEqual([
      'colour',
      'impact',
      'items[1].name',
    ]);
  });

  it('passes a valid body through', async () => {
    await expect(validate({ impact: 2, items: [{ name: 'a' }] })).resolves.toMatchObject({
      impact: 2,
    });
  });
});
