import { BUILT_IN_CLASSES } from './built-in-classes';
import { ClassHierarchy, DEFAULT_IDENTIFICATION_RULES, type CiClassDefinition } from './ci-class';

const hierarchy = new ClassHierarchy(BUILT_IN_CLASSES);

function newClass(fields: Partial<CiClassDefinition>): CiClassDefinition {
  return {
    name: 'blade_server',
    label: 'Blade server',
    parent: 'physical_server',
    description: '',
    abstract: false,
    attributes: {},
    required: [],
    identificationRules: null,
    sourcePrecedence: {},
    ...fields,
  };
}

describe('the class hierarchy', () => {
  it('knows lineage and subclasses', () => {
    expect(hierarchy.lineage('virtual_server').map((definition) => definition.name)).toEqual([
      'virtual_server',
      'server',
      'configuration_item',
    ]);
    expect(hierarchy.isA('database', 'application_instance')).toBe(true);
    expect(hierarchy.isA('server', 'virtual_server')).toBe(false);
    expect(hierarchy.related('server', 'virtual_server')).toBe(true);
    expect(hierarchy.related('storage', 'server')).toBe(false);
    expect(hierarchy.subclassesOf('server').sort()).toEqual([
      'physical_server',
      'server',
      'virtual_server',
    ]);
  });

  it('composes the attribute schema from the class and its ancestors', () => {
    const schema = hierarchy.composedSchema('virtual_server');
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining(['description', 'os', 'cpuCount', 'memoryMb', 'hypervisor']),
    );
    expect(schema.additionalProperties).toBe(false);
    expect(hierarchy.composedSchema('database').required).toEqual(['engine']);
  });

  it('accepts inherited attributes and names each attribute at fault', () => {
    expect(
      hierarchy.validateAttributes('virtual_server', {
        os: 'Ubuntu',
        cpuCount: 4,
        memoryMb: 8192,
        hypervisor: 'kvm',
        description: 'web front end',
      }),
    ).toEqual([]);
    const problems = hierarchy.validateAttributes('virtual_server', {
      cpuCount: 'four',
      memoryMb: 0,
      colour: 'red',
    });
    expect(problems.map((problem) => problem.field).sort()).toEqual([
      'attributes.colour',
      'attributes.cpuCount',
      'attributes.memoryMb',
    ]);
  });

  it('asks for required attributes, except for a partial change', () => {
    expect(hierarchy.validateAttributes('database', {})).toEqual([
      { field: 'attributes.engine', message: 'is required' },
    ]);
    expect(hierarchy.validateAttributes('database', {}, true)).toEqual([]);
  });

  it('uses the nearest identification rules, or the default', () => {
    expect(hierarchy.identificationRules('virtual_server')[0]).toBe('cloudId');
    expect(hierarchy.identificationRules('server')).toEqual(DEFAULT_IDENTIFICATION_RULES);
    expect(hierarchy.identificationRules('database')).toEqual(['cloudId', 'fqdn', 'name']);
  });

  it('accepts a new class that adds attributes, and refuses one that redefines an inherited attribute', () => {
    expect(
      hierarchy.checkNewClass(newClass({ attributes: { slot: { type: 'integer', minimum: 1 } } })),
    ).toEqual([]);
    const problems = hierarchy.checkNewClass(
      newClass({
        name: 'Blade',
        parent: 'nothing',
        attributes: { cpuCount: { type: 'string' }, weird: { type: 'wrong' }, 'Bad-Name': {} },
        required: ['unknown'],
      }),
    );
    expect(problems.map((problem) => problem.field).sort()).toEqual([
      'attributes.Bad-Name',
      'attributes.weird',
      'name',
      'parent',
      'required[0]',
    ]);
    expect(hierarchy.checkNewClass(newClass({ name: 'server' }))[0]?.field).toBe('name');
  });

  it('refuses an attribute schema that only compiles on its own, naming the attribute', () => {
    const selfReferring = {
      definitions: { slot: { type: 'integer' } },
      $ref: '#/definitions/slot',
    };
    expect(hierarchy.checkNewClass(newClass({ attributes: { slot: selfReferring } }))).toEqual([
      expect.objectContaining({ field: 'attributes.slot' }),
    ]);
    const rack = { $id: 'https://itsm.example/schemas/rack', type: 'string' };
    const withRack = new ClassHierarchy([...BUILT_IN_CLASSES, newClass({ attributes: { rack } })]);
    expect(
      withRack.checkAddedAttributes('blade_server', {
        chassis: { $id: 'https://itsm.example/schemas/rack', type: 'integer' },
      }),
    ).toEqual([expect.objectContaining({ field: 'attributes.chassis' })]);
  });

  it('validates CIs of unrelated classes whose attribute schemas share an $id', () => {
    const shared = 'https://itsm.example/schemas/location';
    const classes = new ClassHierarchy([
      ...BUILT_IN_CLASSES,
      newClass({ attributes: { location: { $id: shared, type: 'string' } } }),
      newClass({
        name: 'tape_library',
        parent: 'storage',
        attributes: { location: { $id: shared, type: 'integer' } },
      }),
    ]);
    expect(classes.validateAttributes('blade_server', { location: 'rack 4' })).toEqual([]);
    expect(classes.validateAttributes('tape_library', { location: 4 })).toEqual([]);
    expect(classes.validateAttributes('tape_library', { location: 'rack 4' })).toEqual([
      expect.objectContaining({ field: 'attributes.location' }),
    ]);
  });

  it('refuses an added attribute that a subclass already has', () => {
    expect(hierarchy.checkAddedAttributes('server', { hypervisor: { type: 'string' } })).toEqual([
      expect.objectContaining({ field: 'attributes.hypervisor' }),
    ]);
    expect(
      hierarchy.checkAddedAttributes('server', { bootMode: { enum: ['uefi', 'bios'] } }),
    ).toEqual([]);
  });

  it('inherits per-field source precedence, a subclass overriding a field of its own', () => {
    const withPrecedence = new ClassHierarchy(
      BUILT_IN_CLASSES.map((definition) =>
        definition.name === 'server'
          ? {
              ...definition,
              sourcePrecedence: { 'attributes.memoryMb': ['vcenter'], name: ['asset-register'] },
            }
          : definition.name === 'virtual_server'
            ? { ...definition, sourcePrecedence: { 'attributes.memoryMb': ['hyperv', 'vcenter'] } }
            : definition,
      ),
    );
    expect(withPrecedence.sourcePrecedence('virtual_server')).toEqual({
      'attributes.memoryMb': ['hyperv', 'vcenter'],
      name: ['asset-register'],
    });
    expect(withPrecedence.sourcePrecedence('physical_server')).toEqual({
      'attributes.memoryMb': ['vcenter'],
      name: ['asset-register'],
    });
    expect(withPrecedence.sourcePrecedence('storage')).toEqual({});
  });

  it('checks a class change: known identifier kinds, fields the class has, distinct source names', () => {
    expect(
      hierarchy.checkClassChanges('server', {
        identificationRules: ['serialNumber', 'hostname'],
        sourcePrecedence: { 'attributes.memoryMb': ['vcenter', 'asset-register'], name: ['cmdb'] },
      }),
    ).toEqual([]);
    const problems = hierarchy.checkClassChanges('server', {
      identificationRules: ['serialNumber', 'macAddress', 'serialNumber'] as never,
      sourcePrecedence: {
        'attributes.hypervisor': ['vcenter'],
        colour: ['vcenter'],
        status: [],
        environment: ['vcenter', 'Bad Source', 'vcenter'],
      },
    });
    expect(problems.map((problem) => problem.field)).toEqual([
      'identificationRules[1]',
      'identificationRules[2]',
      'sourcePrecedence.attributes.hypervisor',
      'sourcePrecedence.colour',
      'sourcePrecedence.status',
      'sourcePrecedence.environment[1]',
      'sourcePrecedence.environment[2]',
    ]);
    expect(hierarchy.checkClassChanges('server', { identificationRules: [] })).toEqual([
      expect.objectContaining({ field: 'identificationRules' }),
    ]);
    expect(hierarchy.checkClassChanges('nothing', {})).toEqual([
      expect.objectContaining({ field: 'name' }),
    ]);
  });
});
