import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { EVENT_CATALOG } from './event-catalog';

export class EventSchemaViolation extends Error {
  constructor(
    readonly eventType: string,
    readonly problems: string[],
  ) {
    super(`event ${eventType} violates its schema: ${problems.join('; ')}`);
    this.name = 'EventSchemaViolation';
  }
}

export class UnknownEventTypeError extends Error {
  constructor(readonly eventType: string) {
    super(`unknown event type "${eventType}"`);
    this.name = 'UnknownEventTypeError';
  }
}

function describe(error: ErrorObject): string {
  const at = error.instancePath === '' ? '(data)' : error.instancePath;
  return `${at} ${error.message ?? 'is invalid'}`;
}

/** Validates event data against the JSON Schema of its type, with every schema compiled once. */
export class EventValidator {
  private readonly validators = new Map<string, ValidateFunction>();

  constructor() {
    const ajv = new Ajv({ allErrors: true, strict: true });
    addFormats(ajv);
    for (const definition of EVENT_CATALOG) {
      this.validators.set(definition.type, ajv.compile(definition.schema));
    }
  }

  isKnown(type: string): boolean {
    return this.validators.has(type);
  }

  /** Throws {@link UnknownEventTypeError} or {@link EventSchemaViolation}. */
  assertValid(type: string, data: unknown): void {
    const validate = this.validators.get(type);
    if (!validate) throw new UnknownEventTypeError(type);
    if (!validate(data)) {
      throw new EventSchemaViolation(type, (validate.errors ?? []).map(describe));
    }
  }
}
