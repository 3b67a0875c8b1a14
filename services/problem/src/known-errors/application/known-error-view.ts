import { type KnownErrorSnapshot } from '@itsm/contracts';
import { type KnownError } from '../domain/known-error';
import { type MatchKind } from '../domain/known-error-offers';

/** The known error as its events carry it, and as the API answers it. */
export function toSnapshot(knownError: KnownError): KnownErrorSnapshot {
  return {
    id: knownError.id,
    number: knownError.number,
    title: knownError.title,
    symptom: knownError.symptom,
    rootCause: knownError.rootCause,
    workaround: knownError.workaround,
    solution: knownError.solution,
    errorCode: knownError.errorCode,
    category: knownError.category,
    ciIds: knownError.ciIds,
    ciClass: knownError.ciClass,
    vendor: knownError.vendor,
    model: knownError.model,
    version: knownError.version,
    problemId: knownError.problemId,
    validUntil: knownError.validUntil ? knownError.validUntil.toISOString() : null,
    createdBy: knownError.createdBy,
    createdAt: knownError.createdAt.toISOString(),
    updatedAt: knownError.updatedAt.toISOString(),
    revision: knownError.revision,
  };
}

export type KnownErrorView = KnownErrorSnapshot;

/** A search answer's item: with a text query, its rank too. */
export type KnownErrorHit = KnownErrorView & { rank?: number };

/** A known error offered for an incident: why, and how strongly. */
export type KnownErrorOffer = KnownErrorView & { matchedBy: MatchKind[]; score: number };
