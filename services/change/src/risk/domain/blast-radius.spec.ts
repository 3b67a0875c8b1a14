import { assessBlastRadius } from './blast-radius';
import type { BlastRadius, ImpactedService } from './risk-facts';
import { DEFAULT_RISK_POLICY } from './risk-policy';

const policy = DEFAULT_RISK_POLICY.blastRadius;

function service(name: string, criticality: number | null): ImpactedService {
  return { id: `id-${name}`, name, criticality };
}

function known(services: ImpactedService[], reachedCiCount = 10, truncated = false): BlastRadius {
  return { status: 'known', businessServices: services, reachedCiCount, truncated };
}

function texts(blastRadius: BlastRadius, thePolicy = policy): string[] {
  return assessBlastRadius(thePolicy, blastRadius).reasons.map((reason) => reason.text);
}

describe('the blast radius', () => {
  it('is low when the CIs reach no business service and few CIs', () => {
    const assessed = assessBlastRadius(policy, known([], 4));
    expect(assessed.risk).toBe('low');
    expect(assessed.reasons).toEqual([
      {
        source: 'blast_radius',
        risk: 'low',
        text: "The change's CIs reach no business service and 4 CIs upstream; low risk.",
      },
    ]);
  });

  it('is low for a few services of low criticality, naming them', () => {
    expect(texts(known([service('Intranet', 4), service('Wiki', null)], 1))).toEqual([
      'The change\'s CIs reach business services "Intranet" (criticality 4) and "Wiki" (criticality unknown) and 1 CI upstream; low risk.',
    ]);
  });

  it('takes its risk from the most critical service reached', () => {
    const assessed = assessBlastRadius(policy, known([service('Wiki', 3), service('Payments', 1)]));
    expect(assessed.risk).toBe('high');
    expect(assessed.reasons.map((reason) => reason.text)).toEqual([
      'The change\'s CIs reach business service "Payments" (criticality 1), at criticality 1; high risk.',
    ]);
    expect(assessBlastRadius(policy, known([service('Billing', 2)])).risk).toBe('moderate');
  });

  it('counts the services and the CIs reached', () => {
    const three = [service('A', 4), service('B', 4), service('C', null)];
    expect(assessBlastRadius(policy, known(three)).risk).toBe('moderate');
    expect(texts(known(three))).toEqual([
      "The change's CIs reach 3 business services, 3 or more; moderate risk.",
    ]);
    const five = [...three, service('D', 4), service('E', 4)];
    expect(assessBlastRadius(policy, known(five)).risk).toBe('high');
    expect(texts(known([], 250))).toEqual([
      "The change's CIs reach 250 CIs upstream, 200 or more; moderate risk.",
    ]);
    expect(assessBlastRadius(policy, known([], 1000)).risk).toBe('high');
  });

  it('gives every threshold that held, the highest risk winning', () => {
    const assessed = assessBlastRadius(
      policy,
      known([service('Billing', 2), service('A', 4), service('B', 4)], 1500),
    );
    expect(assessed.risk).toBe('high');
    expect(assessed.reasons.map((reason) => reason.risk)).toEqual(['moderate', 'moderate', 'high']);
  });

  it('says the counts are floors when the CMDB stopped its walk', () => {
    expect(texts(known([], 20_000, true))).toEqual([
      "The change's CIs reach at least 20000 CIs upstream, 1000 or more; high risk.",
    ]);
  });

  it('contributes the fallback risk, and says so, when the CMDB cannot be asked', () => {
    const assessed = assessBlastRadius(policy, {
      status: 'unavailable',
      detail: 'the cmdb service did not answer in 2 s',
    });
    expect(assessed).toEqual({
      source: 'blast_radius',
      risk: 'moderate',
      reasons: [
        {
          source: 'blast_radius',
          risk: 'moderate',
          text: 'The CMDB could not be asked for the blast radius (the cmdb service did not answer in 2 s); moderate risk until it can.',
        },
      ],
    });
    expect(
      assessBlastRadius(
        { ...policy, unavailableRisk: 'high' },
        { status: 'unavailable', detail: 'x' },
      ).risk,
    ).toBe('high');
  });
});
