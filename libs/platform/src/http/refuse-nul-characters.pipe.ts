import { Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { ValidationProblem, type FieldError } from '../errors/problem';

const NUL = '\u0000';
const MESSAGE = 'must not contain the NUL character (U+0000)';

function fieldPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return parent ? `${parent}.${key}` : key;
}

function nulFields(value: unknown, path: string, found: FieldError[]): FieldError[] {
  if (typeof value === 'string') {
    if (value.includes(NUL)) found.push({ field: path, message: MESSAGE });
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => nulFields(item, fieldPath(path, index), found));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key.includes(NUL)) found.push({ field: fieldPath(path, key), message: MESSAGE });
      nulFields(item, fieldPath(path, key), found);
    }
  }
  return found;
}

/**
 * JSON and URLs can carry U+0000, PostgreSQL text and jsonb cannot: such a value would
 * fail in the database as a 500, after part of the work was done. Refused up front
 * instead, as a 400 naming each field that holds one, for every body, query and path
 * parameter of every service.
 */
@Injectable()
export class RefuseNulCharactersPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type === 'custom') return value;
    const found = nulFields(value, metadata.data ?? '', []);
    if (found.length > 0) throw new ValidationProblem(found);
    return value;
  }
}
