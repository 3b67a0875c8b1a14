/** JSON Schema helpers shared by the event schemas. */
export const nullableString = { type: ['string', 'null'] } as const;
export const nullableDateTime = { type: ['string', 'null'], format: 'date-time' } as const;
export const nullableUuid = { type: ['string', 'null'], format: 'uuid' } as const;
export const stringList = { type: 'array', items: { type: 'string' } } as const;
export const uuidList = { type: 'array', items: { type: 'string', format: 'uuid' } } as const;
