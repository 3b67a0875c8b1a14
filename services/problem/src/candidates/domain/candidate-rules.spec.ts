import {
  belongsTo,
  covers,
  preferredCovering,
  type CoveringCandidate,
  candidateKey,
  candidateReason,
  clustersOf,
  majorIncidentKey,
  severityOf,
  type ObservedIncident,
} from './candidate-rules';

const BOTH = ['same_ci', 'same_service_category'] as const;

function incident(fields: Partial<ObservedIncident> = {}): ObservedIncident {
  return {
    id: 'i1',
    number: 'INC0000001',
    title: 'VPN drops',
    state: 'new',
    ciIds: ['ci-b', 'ci-a'],
    businessServiceId: 'svc',
    category: 'network',
    impact: 3,
    urgency: 3,
    major: false,
    openedAt: new Date(),
    ...fields,
  };
}

describe('the candidate rules', () => {
  it('put a new incident in a cluster per CI (sorted) and one for its service and category', () => {
    expect(clustersOf(incident(), null, BOTH)).toEqual([
      { rule: 'same_ci', ciId: 'ci-a' },
      { rule: 'same_ci', ciId: 'ci-b' },
      { rule: 'same_service_category', businessServiceId: 'svc', category: 'network' },
    ]);
  });

  it('run only the enabled rules', () => {
    expect(clustersOf(incident(), null, ['same_ci'])).toHaveLength(2);
    expect(clustersOf(incident(), null, ['same_service_category'])).toHaveLength(1);
    expect(clustersOf(incident(), null, [])).toEqual([]);
  });

  it('need both a service and a category for the service rule', () => {
    expect(clustersOf(incident({ category: null }), null, ['same_service_category'])).toEqual([]);
    expect(
      clustersOf(incident({ businessServiceId: null }), null, ['same_service_category']),
    ).toEqual([]);
  });

  it('see a changed incident only in the clusters it newly joined', () => {
    const before = { ciIds: ['ci-a', 'ci-b'], businessServiceId: 'svc', category: 'network' };
    expect(clustersOf(incident(), before, BOTH)).toEqual([]);
    expect(clustersOf(incident({ ciIds: ['ci-a', 'ci-c'] }), before, BOTH)).toEqual([
      { rule: 'same_ci', ciId: 'ci-c' },
    ]);
    expect(clustersOf(incident({ category: 'vpn' }), before, BOTH)).toEqual([
      { rule: 'same_service_category', businessServiceId: 'svc', category: 'vpn' },
    ]);
    expect(clustersOf(incident({ businessServiceId: 'svc2' }), before, BOTH)).toEqual([
      { rule: 'same_service_category', businessServiceId: 'svc2', category: 'network' },
    ]);
  });

  it('key clusters by rule', () => {
    expect(candidateKey({ rule: 'same_ci', ciId: 'c' })).toBe('same_ci:c');
    expect(
      candidateKey({ rule: 'same_service_category', businessServiceId: 's', category: 'k' }),
    ).toBe('same_service_category:s:k');
    expect(majorIncidentKey('i')).toBe('major_incident:i');
  });

  it('write why: the rule, where, the window and the incident numbers', () => {
    const members = [{ number: 'INC0000001' }, { number: 'INC0000002' }, { number: 'INC0000003' }];
    expect(candidateReason({ rule: 'same_ci', ciId: 'ci-a' }, members, 24 * 3_600_000)).toBe(
      'Rule same_ci: 3 incidents on configuration item ci-a within 24 h with no open problem covering them: INC0000001, INC0000002, INC0000003.',
    );
    const reason = candidateReason(
      { rule: 'same_service_category', businessServiceId: 'svc', category: 'network' },
      members,
      90 * 60_000,
    );
    expect(reason).toContain('Rule same_service_category');
    expect(reason).toContain('business service svc in category "network"');
    expect(reason).toContain('within 90 min');
  });

  it('take the highest impact and urgency of the incidents', () => {
    expect(
      severityOf([
        { impact: 3, urgency: 2 },
        { impact: 1, urgency: 3 },
        { impact: 2, urgency: 3 },
      ]),
    ).toEqual({ impact: 1, urgency: 2 });
    expect(severityOf([{ impact: 3, urgency: 3 }])).toEqual({ impact: 3, urgency: 3 });
  });

  it("tell a cluster's members by its CI, or by its service and category together", () => {
    const incident = { ciIds: ['ci-a', 'ci-b'], businessServiceId: 'svc', category: 'network' };
    expect(belongsTo(incident, { rule: 'same_ci', ciId: 'ci-b' })).toBe(true);
    expect(belongsTo(incident, { rule: 'same_ci', ciId: 'ci-c' })).toBe(false);
    const sameService = { rule: 'same_service_category', businessServiceId: 'svc' } as const;
    expect(belongsTo(incident, { ...sameService, category: 'network' })).toBe(true);
    expect(belongsTo(incident, { ...sameService, category: 'storage' })).toBe(false);
  });

  it('count a problem as covering a cluster when it is its candidate or names what it watches', () => {
    const byHand = {
      candidateKey: null,
      ciIds: ['ci-a'],
      businessServiceId: 'svc',
      category: 'network',
      openedAt: new Date('2026-12-01T00:00:00Z'),
    };
    expect(covers(byHand, { rule: 'same_ci', ciId: 'ci-a' })).toBe(true);
    expect(covers(byHand, { rule: 'same_ci', ciId: 'ci-z' })).toBe(false);
    const candidate = { ...byHand, ciIds: [], candidateKey: 'same_ci:ci-z' };
    expect(covers(candidate, { rule: 'same_ci', ciId: 'ci-z' })).toBe(true);
    expect(
      covers(candidate, {
        rule: 'same_service_category',
        businessServiceId: 'svc',
        category: 'network',
      }),
    ).toBe(true);
  });

  it("prefer the cluster's own candidate, then the earliest opened problem", () => {
    const match = { rule: 'same_ci', ciId: 'ci-a' } as const;
    const early: CoveringCandidate = {
      candidateKey: null,
      ciIds: ['ci-a'],
      businessServiceId: null,
      category: null,
      openedAt: new Date('2026-12-01T00:00:00Z'),
    };
    const late = { ...early, openedAt: new Date('2026-12-02T00:00:00Z') };
    const own = {
      ...late,
      candidateKey: 'same_ci:ci-a',
      openedAt: new Date('2026-12-03T00:00:00Z'),
    };
    expect(preferredCovering(undefined, late, match)).toBe(late);
    expect(preferredCovering(late, early, match)).toBe(early);
    expect(preferredCovering(early, late, match)).toBe(early);
    expect(preferredCovering(early, own, match)).toBe(own);
    expect(preferredCovering(own, early, match)).toBe(own);
  });
});
