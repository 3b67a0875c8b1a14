import { ROLES, type Role } from '@itsm/auth';

/** The assignment groups local mode starts with. */
export const SEEDED_GROUPS: readonly { name: string; description: string }[] = [
  {
    name: 'service-desk',
    description: 'First-line support: takes every incident and request first',
  },
  { name: 'network', description: 'Network engineering' },
  { name: 'database', description: 'Database administration' },
  { name: 'applications', description: 'Application support' },
  { name: 'change-advisory-board', description: 'Reviews and authorises changes' },
];

const GROUP_OF: Partial<Record<Role, string>> = {
  agent: 'service-desk',
  cab_member: 'change-advisory-board',
};

export interface SeededUser {
  username: string;
  roles: Role[];
  groups: string[];
}

/** Local mode's users: one per role, named after it, sharing the development password. */
export const SEEDED_USERS: readonly SeededUser[] = ROLES.map((role) => ({
  username: role,
  roles: [role],
  groups: GROUP_OF[role] ? [GROUP_OF[role]] : [],
}));

export function findSeededUser(username: string): SeededUser | undefined {
  return SEEDED_USERS.find((user) => user.username === username);
}
