import { BUILT_IN_CLASSES } from '../../ci-classes/domain/built-in-classes';
import { ClassHierarchy, DEFAULT_IDENTIFICATION_RULES } from '../../ci-classes/domain/ci-class';
import { normalizeIdentifiers, type CiIdentifiers } from './ci';
import { IdentifierIndex, identify } from './identification';

const hierarchy = new ClassHierarchy(BUILT_IN_CLASSES);
const rules = DEFAULT_IDENTIFICATION_RULES;

function indexOf(
  cis: { id: string; class?: string; name?: string; identifiers: CiIdentifiers }[],
): IdentifierIndex {
  const index = new IdentifierIndex();
  for (const ci of cis) {
    const identifiers = normalizeIdentifiers(ci.identifiers);
    index.add(
      { id: ci.id, class: ci.class ?? 'server', fqdn: identifiers.fqdn },
      ci.name ?? ci.id,
      identifiers,
    );
  }
  return index;
}

const item = (identifiers: CiIdentifiers, className = 'server', name = 'x') => ({
  class: className,
  name,
  identifiers: normalizeIdentifiers(identifiers),
});

describe('identification', () => {
  const index = indexOf([
    { id: 'a', identifiers: { serialNumber: 'SN-A', fqdn: 'web01.corp.example' } },
    { id: 'b', identifiers: { hostname: 'db01', ipAddresses: ['10.0.0.9'] } },
    { id: 'c', identifiers: { fqdn: 'web01.lab.example' } },
    { id: 'n', class: 'network_device', identifiers: { serialNumber: 'SN-N' } },
    { id: 'd1', identifiers: { cloudId: 'i-dup' } },
    { id: 'd2', identifiers: { cloudId: 'i-dup' } },
  ]);

  it('matches on the serial number first, whatever the new name', () => {
    expect(
      identify(item({ serialNumber: 'sn-a', hostname: 'renamed' }), rules, index, hierarchy),
    ).toEqual({
      outcome: 'match',
      ciId: 'a',
      rule: 'serialNumber',
    });
  });

  it('matches a host name only within the same domain', () => {
    expect(identify(item({ fqdn: 'db01.corp.example' }), rules, index, hierarchy)).toMatchObject({
      outcome: 'match',
      ciId: 'b',
      rule: 'hostname',
    });
    expect(identify(item({ fqdn: 'web01.other.example' }), rules, index, hierarchy)).toEqual({
      outcome: 'new',
    });
  });

  it('reports identifiers that point at two different CIs as a conflict', () => {
    expect(
      identify(item({ serialNumber: 'SN-A', hostname: 'db01' }), rules, index, hierarchy),
    ).toEqual({
      outcome: 'conflict',
      reason: 'identifiers_disagree',
      rule: 'hostname',
      ciIds: ['a', 'b'],
    });
  });

  it('reports one identifier shared by several CIs, and an identifier of an unrelated class', () => {
    expect(identify(item({ cloudId: 'i-dup' }), rules, index, hierarchy)).toMatchObject({
      outcome: 'conflict',
      reason: 'ambiguous_identifier',
      ciIds: ['d1', 'd2'],
    });
    expect(identify(item({ serialNumber: 'SN-N' }), rules, index, hierarchy)).toMatchObject({
      outcome: 'conflict',
      reason: 'class_mismatch',
      ciIds: ['n'],
    });
  });

  it('uses IP addresses only as a last resort, never as a conflict', () => {
    expect(identify(item({ ipAddresses: ['10.0.0.9'] }), rules, index, hierarchy)).toMatchObject({
      outcome: 'match',
      ciId: 'b',
      rule: 'ipAddresses',
    });
    expect(
      identify(item({ serialNumber: 'SN-A', ipAddresses: ['10.0.0.9'] }), rules, index, hierarchy),
    ).toMatchObject({ outcome: 'match', ciId: 'a' });
  });

  it('follows the order of the rules it is given', () => {
    const named = indexOf([
      { id: 'svc', class: 'business_service', name: 'Online Shop', identifiers: {} },
    ]);
    expect(
      identify(item({}, 'business_service', 'online shop'), ['name'], named, hierarchy),
    ).toMatchObject({
      outcome: 'match',
      ciId: 'svc',
    });
    expect(identify(item({}, 'business_service', 'online shop'), rules, named, hierarchy)).toEqual({
      outcome: 'new',
    });
  });
});
