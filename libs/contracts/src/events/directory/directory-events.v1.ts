import { type EventDefinition } from '../../event-definition';
import { Topics } from '../../topics';

export const USER_CREATED_V1 = 'itsm.user.created.v1' as const;
export const USER_UPDATED_V1 = 'itsm.user.updated.v1' as const;
export const GROUP_CREATED_V1 = 'itsm.group.created.v1' as const;
export const GROUP_UPDATED_V1 = 'itsm.group.updated.v1' as const;
export const GROUP_DELETED_V1 = 'itsm.group.deleted.v1' as const;

export interface DirectoryUser {
  username: string;
  roles: string[];
  groups: string[];
  /** `seed` (local mode) or `token` (first seen in an identity provider's token). */
  source: 'seed' | 'token';
}

export interface DirectoryGroup {
  name: string;
  description: string;
  members: string[];
}

export interface UserChangedV1 {
  user: DirectoryUser;
  changedFields: string[];
}

export interface GroupChangedV1 {
  group: DirectoryGroup;
  changedFields: string[];
}

/** A group deleted through the directory API: it had no members left; `group` is how it stood. */
export interface GroupDeletedV1 {
  group: DirectoryGroup;
}

const userSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['username', 'roles', 'groups', 'source'],
  properties: {
    username: { type: 'string', minLength: 1 },
    roles: { type: 'array', items: { type: 'string' } },
    groups: { type: 'array', items: { type: 'string' } },
    source: { enum: ['seed', 'token'] },
  },
} as const;

const groupSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'description', 'members'],
  properties: {
    name: { type: 'string', minLength: 1 },
    description: { type: 'string' },
    members: { type: 'array', items: { type: 'string' } },
  },
} as const;

function changeSchema(id: string, title: string, record: 'user' | 'group', recordSchema: object) {
  return {
    $id: id,
    title,
    type: 'object',
    additionalProperties: false,
    required: [record, 'changedFields'],
    properties: {
      [record]: recordSchema,
      changedFields: { type: 'array', items: { type: 'string' }, minItems: 1 },
    },
  };
}

export const userCreatedV1Schema = changeSchema(
  USER_CREATED_V1,
  'User created',
  'user',
  userSchema,
);
export const userUpdatedV1Schema = changeSchema(
  USER_UPDATED_V1,
  'User updated',
  'user',
  userSchema,
);
export const groupCreatedV1Schema = changeSchema(
  GROUP_CREATED_V1,
  'Group created',
  'group',
  groupSchema,
);
export const groupUpdatedV1Schema = changeSchema(
  GROUP_UPDATED_V1,
  'Group updated',
  'group',
  groupSchema,
);

export const groupDeletedV1Schema = {
  $id: GROUP_DELETED_V1,
  title: 'Group deleted',
  type: 'object',
  additionalProperties: false,
  required: ['group'],
  properties: { group: groupSchema },
};

export const DirectoryEventTypes = {
  userCreated: USER_CREATED_V1,
  userUpdated: USER_UPDATED_V1,
  groupCreated: GROUP_CREATED_V1,
  groupUpdated: GROUP_UPDATED_V1,
  groupDeleted: GROUP_DELETED_V1,
} as const;

export const DIRECTORY_EVENTS: readonly EventDefinition[] = [
  {
    type: USER_CREATED_V1,
    topic: Topics.directoryEvents,
    summary: 'A user appeared in the directory (seeded, or first seen in a token).',
    schema: userCreatedV1Schema,
  },
  {
    type: USER_UPDATED_V1,
    topic: Topics.directoryEvents,
    summary: "A user's roles or groups changed.",
    schema: userUpdatedV1Schema,
  },
  {
    type: GROUP_CREATED_V1,
    topic: Topics.directoryEvents,
    summary: 'An assignment group was created.',
    schema: groupCreatedV1Schema,
  },
  {
    type: GROUP_UPDATED_V1,
    topic: Topics.directoryEvents,
    summary: "A group's description or members changed.",
    schema: groupUpdatedV1Schema,
  },
  {
    type: GROUP_DELETED_V1,
    topic: Topics.directoryEvents,
    summary:
      'An empty group was deleted through the directory API: records assigned to it keep its name, nothing new can be assigned to it.',
    schema: groupDeletedV1Schema,
  },
];
