import { BUILT_IN_CLASSES } from '../../ci-classes/domain/built-in-classes';
import { ClassHierarchy } from '../../ci-classes/domain/ci-class';
import { dependencyEdgesOf, relationshipRefusal } from './relationship-rules';

const hierarchy = new ClassHierarchy([
  ...BUILT_IN_CLASSES,
  {
    name: 'blade_server',
    label: 'Blade',
    parent: 'physical_server',
    description: '',
    abstract: false,
    attributes: {},
    required: [],
    identificationRules: null,
    sourcePrecedence: {},
  },
]);

describe('relationship rules', () => {
  it('allows the pairs a type names, and their subclasses', () => {
    expect(
      relationshipRefusal('provides', 'application', 'business_service', hierarchy),
    ).toBeUndefined();
    expect(relationshipRefusal('runs_on', 'database', 'virtual_server', hierarchy)).toBeUndefined();
    expect(
      relationshipRefusal('hosted_on', 'virtual_server', 'blade_server', hierarchy),
    ).toBeUndefined();
    expect(
      relationshipRefusal('depends_on', 'storage', 'business_service', hierarchy),
    ).toBeUndefined();
  });

  it('refuses other pairs and says which are allowed', () => {
    expect(relationshipRefusal('provides', 'server', 'business_service', hierarchy)).toMatch(
      /provides does not relate a server to a business_service; it allows application → business_service/,
    );
    expect(
      relationshipRefusal('hosted_on', 'physical_server', 'virtual_server', hierarchy),
    ).toBeDefined();
  });

  it('says which end depends on which', () => {
    expect(dependencyEdgesOf('runs_on', 'app', 'host')).toEqual([
      { dependentId: 'app', dependencyId: 'host' },
    ]);
    expect(dependencyEdgesOf('provides', 'app', 'service')).toEqual([
      { dependentId: 'service', dependencyId: 'app' },
    ]);
    expect(dependencyEdgesOf('connected_to', 'a', 'b')).toEqual([
      { dependentId: 'a', dependencyId: 'b' },
      { dependentId: 'b', dependencyId: 'a' },
    ]);
  });
});
