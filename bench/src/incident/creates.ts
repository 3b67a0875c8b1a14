import { type Outcome } from './closed-loop';
import {
  BUSINESS_SERVICES,
  COMPONENTS,
  CONFIGURATION_ITEMS,
  ERROR_CODES,
  LOCATIONS,
  SYMPTOMS,
  TAGS,
  TAXONOMY,
  businessServiceId,
  ciId,
  errorCode,
} from './dataset';

const CATEGORIES = Object.keys(TAXONOMY);
const at = <T>(list: readonly T[], n: number): T => list[n % list.length];

/**
 * A create with the full model: category and subcategory, a business service, two CIs,
 * tags, and an assignment the incident service checks against its copy of the directory
 * (`agent` is a member of service-desk).
 */
export function fullCreateBody(n: number): string {
  const category = at(CATEGORIES, n);
  const component = at(COMPONENTS, n);
  return JSON.stringify({
    title: `${component} ${at(SYMPTOMS, n)} (bench create ${n})`,
    description:
      `User reports that ${component} ${at(SYMPTOMS, n)} at the ${at(LOCATIONS, n)}. ` +
      `Error code ${errorCode(n % ERROR_CODES)}. Several colleagues are affected since the morning.`,
    impact: 1 + (n % 3),
    urgency: 1 + ((n + 1) % 3),
    category,
    subcategory: at(TAXONOMY[category] ?? [], n),
    businessServiceId: businessServiceId(n % BUSINESS_SERVICES),
    ciIds: [ciId(n % CONFIGURATION_ITEMS), ciId((n * 7919) % CONFIGURATION_ITEMS)],
    tags: [at(TAGS, n), at(TAGS, n + 7)],
    assignmentGroup: 'service-desk',
    assignee: 'agent',
  });
}

/** POST /api/v1/incidents with a full-model body; 201 is success, anything else its status. */
export async function createIncident(
  gatewayUrl: string,
  token: string,
  n: number,
): Promise<Outcome> {
  const response = await fetch(`${gatewayUrl}/api/v1/incidents`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: fullCreateBody(n),
    signal: AbortSignal.timeout(30_000),
  });
  await response.arrayBuffer();
  return response.status === 201 ? true : String(response.status);
}
