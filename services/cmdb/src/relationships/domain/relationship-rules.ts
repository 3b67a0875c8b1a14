import { type RelationshipType } from '@itsm/contracts';
import { type ClassHierarchy } from '../../ci-classes/domain/ci-class';

export { RELATIONSHIP_TYPES, type RelationshipType } from '@itsm/contracts';

type ClassPair = readonly [source: string, target: string];

/**
 * The class pairs each relationship type allows, source first. A pair also allows every
 * subclass on either end (a `virtual_server` is a `server`), so a class added through the
 * API can be related as its ancestors can.
 */
export const ALLOWED_CLASS_PAIRS: Readonly<Record<RelationshipType, readonly ClassPair[]>> = {
  // Anything can depend on anything: the generic dependency.
  depends_on: [['configuration_item', 'configuration_item']],
  runs_on: [
    ['application_instance', 'server'],
    ['application_instance', 'container_workload'],
    ['application_instance', 'cloud_resource'],
    ['container_workload', 'server'],
    ['container_workload', 'cloud_resource'],
  ],
  hosted_on: [
    ['virtual_server', 'physical_server'],
    ['virtual_server', 'cloud_resource'],
    ['application_instance', 'server'],
    ['storage', 'storage'],
    ['storage', 'cloud_resource'],
    ['cloud_resource', 'cloud_resource'],
  ],
  connected_to: [
    ['server', 'network_device'],
    ['network_device', 'network_device'],
    ['storage', 'network_device'],
    ['server', 'storage'],
    ['server', 'server'],
  ],
  member_of: [
    ['application_instance', 'application'],
    ['container_workload', 'application'],
    ['server', 'application'],
    ['business_service', 'business_service'],
  ],
  provides: [
    ['application', 'business_service'],
    ['application_instance', 'business_service'],
    ['business_service', 'business_service'],
  ],
};

/** Why a relationship cannot be recorded between CIs of these classes; undefined when it can. */
export function relationshipRefusal(
  type: RelationshipType,
  sourceClass: string,
  targetClass: string,
  hierarchy: ClassHierarchy,
): string | undefined {
  const pairs = ALLOWED_CLASS_PAIRS[type];
  const allowed = pairs.some(
    ([source, target]) => hierarchy.isA(sourceClass, source) && hierarchy.isA(targetClass, target),
  );
  if (allowed) return undefined;
  return `${type} does not relate a ${sourceClass} to a ${targetClass}; it allows ${pairs
    .map(([source, target]) => `${source} → ${target}`)
    .join(', ')} (and their subclasses)`;
}

/** One "depends on" fact: `dependentId` needs `dependencyId`. */
export interface DependencyEdge {
  dependentId: string;
  dependencyId: string;
}

/**
 * Which end depends on which: for depends_on, runs_on, hosted_on and member_of the source
 * depends on the target; for provides the target (the service) depends on the source;
 * connected_to counts both ways.
 */
export function dependencyEdgesOf(
  type: RelationshipType,
  sourceId: string,
  targetId: string,
): DependencyEdge[] {
  switch (type) {
    case 'provides':
      return [{ dependentId: targetId, dependencyId: sourceId }];
    case 'connected_to':
      return [
        { dependentId: sourceId, dependencyId: targetId },
        { dependentId: targetId, dependencyId: sourceId },
      ];
    default:
      return [{ dependentId: sourceId, dependencyId: targetId }];
  }
}
