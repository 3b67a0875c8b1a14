export const ROLES = [
  'requester',
  'agent',
  'incident_manager',
  'problem_manager',
  'change_manager',
  'cab_member',
  'configuration_manager',
  'service_level_manager',
  'auditor',
  'admin',
] as const;

export type Role = (typeof ROLES)[number];

export interface SeededUser {
  username: string;
  roles: Role[];
  groups: string[];
}

const GROUP_OF: Partial<Record<Role, string>> = {
  agent: 'service-desk',
  cab_member: 'change-advisory-board',
};

/** Local mode's users: one per role, named after it, sharing the development password. */
export const SEEDED_USERS: readonly SeededUser[] = ROLES.map((role) => ({
  username: role,
  roles: [role],
  groups: GROUP_OF[role] ? [GROUP_OF[role]] : [],
}));

export function findSeededUser(username: string): SeededUser | undefined {
  return SEEDED_USERS.find((user) => user.username === username);
}
