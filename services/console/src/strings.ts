/**
 * Every string the console shows, in English. Another language is another object of the
 * same shape (`Strings`), chosen in `strings()`; components never hold text of their own.
 */
export const en = {
  product: 'ITSM console',
  nav: {
    label: 'Main navigation',
    queue: 'Incident queue',
    requestQueue: 'Request queue',
    newIncident: 'New incident',
    newRequest: 'New request',
    myIncidents: 'My incidents',
    myRequests: 'My requests',
    apiReference: 'API reference',
  },
  /** What differs between the record types; everything else is shared. */
  kinds: {
    incident: {
      plural: 'Incidents',
      mine: 'My incidents',
      new: 'New incident',
      create: 'Create incident',
      empty: 'No incidents match.',
      caption: (count: number) => (count === 1 ? '1 incident shown' : `${count} incidents shown`),
      notFound: 'There is no such incident, or you may not see it.',
    },
    request: {
      plural: 'Requests',
      mine: 'My requests',
      new: 'New request',
      create: 'Submit request',
      empty: 'No requests match.',
      caption: (count: number) => (count === 1 ? '1 request shown' : `${count} requests shown`),
      notFound: 'There is no such request, or you may not see it.',
    },
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
    recordType: 'Record type',
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
      catalogItem: 'Catalogue item',
    },
  },
  sla: {
    title: 'Service level timers',
    none: 'No service level applies to this record.',
    states: {
      running: 'Running',
      paused: 'Paused',
      met: 'Met',
      breached: 'Breached',
      cancelled: 'Cancelled',
    },
    kinds: { sla: 'SLA', ola: 'OLA' },
    targets: { response: 'response', resolution: 'resolution' },
    left: (duration: string) => `${duration} left`,
    overdue: (duration: string) => `${duration} overdue`,
    due: (when: string) => `Due ${when}`,
    paused: (reason: string) => (reason ? `Paused: ${reason}` : 'Paused'),
    metAt: (when: string) => `Met ${when}`,
    cancelledAt: (when: string) => `Cancelled ${when}`,
    used: (name: string, percent: number) => `${name}: ${percent}% of the target used`,
  },
  live: {
    updatedElsewhere: 'Updated by someone else',
    nowIn: (state: string) =>
      `This record changed while you had it open; it is now ${state}. What you see is the current version.`,
    dismiss: 'Dismiss',
  },
  create: {
    shortTitle: 'Title',
    description: 'Description',
    impact: 'Impact',
    urgency: 'Urgency',
    levels: { '1': '1 – high', '2': '2 – medium', '3': '3 – low' },
    catalogItem: 'Catalogue item',
    catalogItemHint: 'What is requested, e.g. laptop-standard',
    hint: 'Ctrl+Enter creates it.',
  },
  states: {
    new: 'New',
    in_progress: 'In progress',
    on_hold: 'On hold',
    resolved: 'Resolved',
    closed: 'Closed',
    cancelled: 'Cancelled',
    submitted: 'Submitted',
    approved: 'Approved',
    fulfilling: 'Fulfilling',
    fulfilled: 'Fulfilled',
    rejected: 'Rejected',
  } as Record<string, string>,
  errors: {
    generic: 'Something went wrong.',
    forbidden: 'You may not do this.',
  },
  loading: 'Loading…',
  notFound: 'There is no such page.',
  // The CMDB screens (services/console/src/cmdb).
  cmdb: {
    nav: 'CMDB',
    search: {
      title: 'Configuration items',
      name: 'Name starts with',
      namePlaceholder: 'e.g. payments',
      class: 'Class',
      status: 'Status',
      environment: 'Environment',
      identifier: 'Identifier',
      identifierPlaceholder: 'Serial, host name, FQDN, IP or cloud id',
      any: 'Any',
      empty: 'No configuration items match.',
      more: 'Load more',
      caption: (count: number) =>
        count === 1 ? '1 configuration item shown' : `${count} configuration items shown`,
      columns: {
        name: 'Name',
        class: 'Class',
        status: 'Status',
        environment: 'Environment',
        criticality: 'Criticality',
        updated: 'Updated',
      },
    },
    statuses: {
      planned: 'Planned',
      operational: 'Operational',
      maintenance: 'Maintenance',
      retired: 'Retired',
    } as Record<string, string>,
    ci: {
      back: 'Back to the CI search',
      notFound: 'There is no such configuration item, or you may not see it.',
      notYet: 'The configuration item did not exist yet at that time.',
      asOf: 'Show as of',
      asOfHint: 'Date and time in your time zone; empty shows the CI as it is now.',
      now: 'Now',
      showingAsOf: (at: string) => `Showing the configuration item as it was at ${at}.`,
      fields: 'Attributes',
      identifiers: 'Identifiers',
      attributes: 'Class attributes',
      noAttributes: 'No attributes set.',
      field: {
        class: 'Class',
        status: 'Status',
        environment: 'Environment',
        ownerGroup: 'Owner group',
        criticality: 'Criticality',
        restricted: 'Restricted',
        version: 'Version',
        sources: 'Sources',
        createdAt: 'Created',
        updatedAt: 'Updated',
        lastDiscoveredAt: 'Last discovered',
      },
      yes: 'Yes',
      no: 'No',
      relationships: 'Relationships',
      noRelationships: 'No relationships.',
      relationshipColumns: {
        type: 'Type',
        direction: 'Direction',
        other: 'Other CI',
        since: 'Since',
      },
      outgoing: 'this CI → other',
      incoming: 'other → this CI',
      history: 'History',
      noHistory: 'No changes yet.',
      moreHistory: 'Load more history',
      viewAsOf: 'Show as of then',
      historyLine: (field: string, from: string, to: string) => `${field}: ${from} → ${to}`,
      historyKinds: {
        created: 'Created',
        retired: 'Retired',
        relationship_created: 'Relationship added',
        relationship_deleted: 'Relationship removed',
        changed_by_change: 'Changed by change',
      } as Record<string, string>,
      byActor: (actor: string, source: string | null) => (source ? `${actor} (${source})` : actor),
    },
    graph: {
      title: 'Dependencies and impact',
      label: (name: string, nodes: number, edges: number) =>
        `Dependency graph around ${name}: ${nodes} configuration item${nodes === 1 ? '' : 's'}, ${edges} relationship${edges === 1 ? '' : 's'}. The same information is in the lists below.`,
      hops: 'Steps shown',
      impact: 'Impact',
      impactOff: 'Off',
      upstream: 'Upstream (what depends on it)',
      downstream: 'Downstream (what it depends on)',
      impactDepth: 'Impact depth',
      hint: 'Click a configuration item in the graph to open it.',
      legend: 'Legend',
      legendFocus: 'This configuration item',
      legendImpacted: 'Affected (in the impact)',
      legendOther: 'Other configuration item',
      legendEdge: 'Arrow from the source of a relationship to its target, labelled with its type',
      textAlternative: 'The graph as lists',
      nodesCaption: (count: number) =>
        count === 1
          ? '1 configuration item in the graph'
          : `${count} configuration items in the graph`,
      edgesCaption: (count: number) =>
        count === 1 ? '1 relationship in the graph' : `${count} relationships in the graph`,
      nodeColumns: {
        name: 'Name',
        class: 'Class',
        steps: 'Steps away',
        impact: 'Affected',
        expand: 'Neighbours',
      },
      edgeColumns: { source: 'Source', type: 'Type', target: 'Target' },
      expand: (name: string) => `Show the neighbours of ${name}`,
      expanded: 'Shown',
      affected: (distance: number) => `Yes, ${distance} step${distance === 1 ? '' : 's'} away`,
      notAffected: 'No',
      impactSummary: (reached: number, withheld: number, services: number) =>
        `${reached} configuration item${reached === 1 ? '' : 's'} reached (${withheld} you may not see), ${services} business service${services === 1 ? '' : 's'} affected.`,
      truncated: 'The impact walk stopped at its limit: there are more.',
      businessServices: 'Business services affected',
      impactCaption: (count: number) =>
        count === 1 ? '1 configuration item affected' : `${count} configuration items affected`,
      loading: 'Loading the graph…',
    },
  },
  dashboards: {
    nav: 'Dashboards',
    title: 'Dashboards',
    intro:
      'Figures from the reporting service, counted from the records you may see. Select a figure, a bar or a point to see the records behind it.',
    filters: 'Filters',
    period: 'Period',
    periods: {
      '7d': 'Last 7 days',
      '30d': 'Last 30 days',
      '90d': 'Last 90 days',
      '12m': 'Last 12 months',
    } as Record<string, string>,
    interval: 'Shown by',
    intervals: { day: 'Day', week: 'Week', month: 'Month' } as Record<string, string>,
    service: 'Business service',
    group: 'Assignment group',
    priority: 'Priority',
    category: 'Category',
    any: 'Any',
    groupPlaceholder: 'e.g. service-desk',
    categoryPlaceholder: 'e.g. network',
    nothingReadable:
      'None of the figures counts records you may read: the dashboards need the read permission of incidents, requests, SLA timers, problems or changes.',
    sections: {
      incidents: 'Incidents',
      requests: 'Service requests',
      sla: 'Service levels',
      problems: 'Problems',
      changes: 'Changes',
    } as Record<string, string>,
    charts: {
      'incident-volumes': 'Incidents opened and resolved',
      'incident-backlog': 'Incident backlog by priority, now',
      'incident-mttr': 'Time to resolve incidents (hours)',
      'requests-opened': 'Service requests opened',
      'request-fulfilment': 'Request fulfilment time (hours)',
      'sla-compliance': 'SLA compliance (%)',
      'sla-breaches': 'SLA breaches by priority',
      'problems-opened': 'Problems opened',
      'problem-age': 'Age of open problems (days)',
      'changes-opened': 'Changes opened',
      'change-rates': 'Change success and failure rates (%)',
    } as Record<string, string>,
    statistics: { mean: 'Mean', p50: 'Median (p50)', p90: '90th percentile' },
    rowHeaders: { day: 'Day', week: 'Week starting', month: 'Month' } as Record<string, string>,
    dimensions: {
      service: 'Business service',
      group: 'Assignment group',
      priority: 'Priority',
      category: 'Category',
      ci_class: 'CI class',
      sla: 'SLA',
      target: 'SLA target',
      model: 'Change model',
      risk: 'Risk',
      source: 'Source',
      class: 'CI class',
      environment: 'Environment',
    } as Record<string, string>,
    none: '(none)',
    noFigure: 'no figure',
    figure: (value: number | null, unit: string): string => {
      if (value === null) return '–';
      // Below one hour or day, two decimals: a quarter of an hour is not 0.
      const digits = unit === 'count' ? 0 : Math.abs(value) < 1 ? 2 : 1;
      const shown = value.toLocaleString('en', { maximumFractionDigits: digits });
      if (unit === 'hours') return `${shown} h`;
      if (unit === 'days') return `${shown} d`;
      if (unit === 'percent') return `${shown} %`;
      return shown;
    },
    ofRecords: (numerator: number, denominator: number) => `${numerator} of ${denominator}`,
    measured: (count: number) => (count === 1 ? '1 record' : `${count} records`),
    figureLink: (name: string, figure: string) => `${name}: ${figure}. Show the records`,
    cellLink: (column: string, row: string, figure: string) =>
      `${column}, ${row}: ${figure}. Show the records`,
    partial: '(so far)',
    notFilteredBy: (names: string) => `Not filtered by ${names}: these figures have no such field.`,
    chartHint: 'Select a bar or a point to see its records, or use the table.',
    chartSummary: (
      title: string,
      rows: number,
      columns: {
        label: string;
        highest?: { row: string; text: string };
        lowest?: { row: string; text: string };
        latest?: { row: string; text: string };
      }[],
    ) =>
      `${title}, ${rows} ${rows === 1 ? 'row' : 'rows'}. ${columns
        .map((column) =>
          column.highest && column.lowest && column.latest
            ? `${column.label}: highest ${column.highest.text} (${column.highest.row}), lowest ${column.lowest.text} (${column.lowest.row}), latest ${column.latest.text} (${column.latest.row}).`
            : `${column.label}: nothing measured.`,
        )
        .join(' ')} The figures are in the table below.`,
    showTable: 'Show the figures as a table',
    hideTable: 'Hide the table',
    tableCaption: (title: string) => `${title}: the figures`,
    downloadCsv: 'Download CSV',
    downloadCsvOf: (title: string) => `Download CSV of ${title}`,
    empty: 'Nothing to show for this period.',
    records: {
      back: 'Back to the dashboards',
      title: (name: string) => `Records behind: ${name}`,
      range: (from: string, to: string) => `From ${from} to ${to}`,
      filteredBy: 'Filtered by',
      columns: {
        number: 'Record',
        at: 'Entered the figure',
        counted: 'In the numerator',
      },
      seconds: (unit: string) =>
        unit === 'days' ? 'Duration or age (days)' : 'Duration or age (hours)',
      yes: 'Yes',
      no: 'No',
      caption: (count: number, more: boolean) =>
        `${count} ${count === 1 ? 'record' : 'records'} shown${more ? ', more to load' : ''}`,
      empty: 'No records behind this figure.',
      more: 'Load more',
      downloading: (count: number) => `Reading the records… ${count}`,
      tooMany: (count: number) =>
        `The file holds the first ${count} records; narrow the range or the filters for the rest.`,
    },
  },
};

export type Strings = typeof en;

/** The strings of the console's language; English only for now. */
export function strings(): Strings {
  return en;
}

export const t = strings();
