/**
 * Every string the console shows, in English. Another language is another object of the
 * same shape (`Strings`), chosen in `strings()`; components never hold text of their own.
 */
export const en = {
  product: 'ITSM console',
  nav: {
    label: 'Main navigation',
    queue: 'Incident queue',
    newIncident: 'New incident',
    myIncidents: 'My incidents',
    apiReference: 'API reference',
  },
  theme: { toggle: 'Switch between light and dark theme' },
  signIn: {
    title: 'Sign in',
    username: 'User name',
    password: 'Password',
    submit: 'Sign in',
    withProvider: 'Sign in with your organisation',
    failed: 'The user name or password is wrong.',
    locked: 'Too many attempts: try again later.',
    unavailable: 'The sign-in service is unavailable.',
    completing: 'Completing sign-in…',
    signOut: 'Sign out',
    signedInAs: (user: string, roles: string) => `Signed in as ${user} (${roles})`,
    expired: 'Your session ended: sign in again.',
  },
  queue: {
    title: 'Incidents',
    views: { mine: 'My work', groups: "My groups'", unassigned: 'Unassigned', all: 'All open' },
    view: 'Queue',
    search: 'Search',
    searchPlaceholder: 'Words in title, description or journal',
    state: 'State',
    priority: 'Priority',
    sort: 'Sort',
    sorts: {
      priority: 'Priority (oldest P1 first)',
      '-openedAt': 'Newest first',
      openedAt: 'Oldest first',
      '-updatedAt': 'Recently updated',
    },
    any: 'Any',
    empty: 'No incidents match.',
    more: 'Load more',
    columns: {
      number: 'Number',
      title: 'Title',
      priority: 'Priority',
      state: 'State',
      group: 'Group',
      assignee: 'Assignee',
      opened: 'Opened',
    },
    caption: (count: number) => (count === 1 ? '1 incident shown' : `${count} incidents shown`),
  },
  record: {
    back: 'Back to the queue',
    fields: 'Fields',
    actions: 'Actions',
    noActions: 'No state change is open to you from here.',
    moveTo: (state: string) => `Move to ${state}`,
    journal: 'Journal',
    history: 'History',
    workNote: 'Work note (internal)',
    comment: 'Comment (the requester sees it)',
    add: 'Add',
    noJournal: 'Nothing written yet.',
    noHistory: 'No changes yet.',
    historyLine: (field: string, from: string, to: string) => `${field}: ${from} → ${to}`,
    transitionTitle: (state: string) => `Move to ${state}`,
    confirm: 'Confirm',
    cancel: 'Cancel',
    notFound: 'There is no such incident, or you may not see it.',
    field: {
      number: 'Number',
      state: 'State',
      priority: 'Priority',
      impact: 'Impact',
      urgency: 'Urgency',
      requester: 'Requester',
      assignmentGroup: 'Assignment group',
      assignee: 'Assignee',
      category: 'Category',
      openedAt: 'Opened',
      updatedAt: 'Updated',
      resolutionCode: 'Resolution code',
      resolutionNotes: 'Resolution notes',
      holdReason: 'Hold reason',
      reason: 'Reason',
      description: 'Description',
    },
  },
  live: {
    updatedElsewhere: 'Updated by someone else',
    nowIn: (state: string) =>
      `This record changed while you had it open; it is now ${state}. What you see is the current version.`,
    dismiss: 'Dismiss',
  },
  create: {
    title: 'New incident',
    shortTitle: 'Title',
    description: 'Description',
    impact: 'Impact',
    urgency: 'Urgency',
    levels: { '1': '1 – high', '2': '2 – medium', '3': '3 – low' },
    submit: 'Create incident',
    hint: 'Ctrl+Enter creates it.',
  },
  states: {
    new: 'New',
    in_progress: 'In progress',
    on_hold: 'On hold',
    resolved: 'Resolved',
    closed: 'Closed',
    cancelled: 'Cancelled',
  } as Record<string, string>,
  errors: {
    generic: 'Something went wrong.',
    forbidden: 'You may not do this.',
  },
  loading: 'Loading…',
  notFound: 'There is no such page.',
};

export type Strings = typeof en;

/** The strings of the console's language; English only for now. */
export function strings(): Strings {
  return en;
}

export const t = strings();
