import { type AttributeSchema, type CiClassDefinition } from './ci-class';

const text = (maxLength = 200): AttributeSchema => ({ type: 'string', maxLength });
const count = (minimum = 0): AttributeSchema => ({ type: 'integer', minimum });
const oneOf = (...values: string[]): AttributeSchema => ({ enum: values });
const url: AttributeSchema = { type: 'string', format: 'uri' };
const port: AttributeSchema = { type: 'integer', minimum: 1, maximum: 65535 };

function builtIn(
  definition: Partial<CiClassDefinition> & Pick<CiClassDefinition, 'name' | 'label'>,
): CiClassDefinition {
  return {
    parent: 'configuration_item',
    description: '',
    abstract: false,
    attributes: {},
    required: [],
    identificationRules: null,
    sourcePrecedence: {},
    ...definition,
  };
}

/**
 * The classes every CMDB starts with (seeded by the migration that creates the class
 * table). Identifiers (serial number, hostname, FQDN, IP addresses, cloud id) are not
 * attributes: every CI has them, in `identifiers`.
 */
export const BUILT_IN_CLASSES: readonly CiClassDefinition[] = [
  builtIn({
    name: 'configuration_item',
    label: 'Configuration item',
    parent: null,
    abstract: true,
    description: 'The root of the hierarchy: what every CI has.',
    attributes: {
      description: text(4000),
      vendor: text(),
      tags: { type: 'array', items: text(100) },
    },
  }),
  builtIn({
    name: 'business_service',
    label: 'Business service',
    description: 'A service the business consumes, e.g. online banking; carries a criticality.',
    attributes: {
      serviceOwner: text(),
      supportHours: oneOf('24x7', 'business_hours', 'extended'),
      serviceTier: oneOf('gold', 'silver', 'bronze'),
      customerFacing: { type: 'boolean' },
    },
    identificationRules: ['name'],
  }),
  builtIn({
    name: 'application',
    label: 'Application',
    description: 'A software product or system as a whole, e.g. the payments platform.',
    attributes: {
      version: text(100),
      language: text(100),
      url,
      lifecycleStage: oneOf('development', 'production', 'sunset'),
    },
    identificationRules: ['name'],
  }),
  builtIn({
    name: 'application_instance',
    label: 'Application instance',
    description: 'One deployed, running copy of an application.',
    attributes: { version: text(100), port, installPath: text(1000), url },
    identificationRules: ['cloudId', 'fqdn', 'name'],
  }),
  builtIn({
    name: 'database',
    label: 'Database',
    parent: 'application_instance',
    description: 'A database instance (an application instance of a database engine).',
    attributes: {
      engine: oneOf('postgresql', 'mysql', 'mariadb', 'oracle', 'sqlserver', 'mongodb', 'other'),
      engineVersion: text(100),
      sizeGb: { type: 'number', minimum: 0 },
      replicationRole: oneOf('primary', 'replica', 'standalone'),
    },
    required: ['engine'],
  }),
  builtIn({
    name: 'server',
    label: 'Server',
    description: 'A computer running an operating system, physical or virtual.',
    attributes: {
      os: text(100),
      osVersion: text(100),
      cpuCount: count(1),
      memoryMb: count(1),
      diskGb: { type: 'number', minimum: 0 },
      virtual: { type: 'boolean' },
      manufacturer: text(),
      model: text(),
    },
  }),
  builtIn({
    name: 'physical_server',
    label: 'Physical server',
    parent: 'server',
    description: 'A server on its own hardware.',
    attributes: {
      rackLocation: text(),
      assetTag: text(100),
      warrantyEnd: { type: 'string', format: 'date' },
    },
    identificationRules: ['serialNumber', 'fqdn', 'hostname', 'ipAddresses'],
  }),
  builtIn({
    name: 'virtual_server',
    label: 'Virtual server',
    parent: 'server',
    description: 'A virtual machine on a hypervisor or in a cloud.',
    attributes: {
      hypervisor: oneOf('vmware', 'hyper_v', 'kvm', 'xen', 'cloud', 'other'),
      instanceType: text(100),
    },
    identificationRules: ['cloudId', 'serialNumber', 'fqdn', 'hostname', 'ipAddresses'],
  }),
  builtIn({
    name: 'container_workload',
    label: 'Container workload',
    description: 'A containerised workload, e.g. a Kubernetes deployment or stateful set.',
    attributes: {
      image: text(500),
      imageTag: text(200),
      namespace: text(),
      cluster: text(),
      replicas: count(0),
      orchestrator: oneOf('kubernetes', 'nomad', 'ecs', 'docker', 'other'),
    },
    identificationRules: ['cloudId', 'name'],
  }),
  builtIn({
    name: 'network_device',
    label: 'Network device',
    description: 'A router, switch, firewall or load balancer.',
    attributes: {
      deviceType: oneOf('router', 'switch', 'firewall', 'load_balancer', 'access_point', 'other'),
      manufacturer: text(),
      model: text(),
      firmwareVersion: text(100),
      portCount: count(0),
    },
    required: ['deviceType'],
  }),
  builtIn({
    name: 'storage',
    label: 'Storage',
    description: 'A storage array, file share, volume or bucket.',
    attributes: {
      storageType: oneOf('san', 'nas', 'block', 'object', 'file'),
      capacityGb: { type: 'number', minimum: 0 },
      usedGb: { type: 'number', minimum: 0 },
      protocol: oneOf('iscsi', 'fc', 'nfs', 'smb', 's3', 'other'),
      manufacturer: text(),
      model: text(),
    },
  }),
  builtIn({
    name: 'cloud_resource',
    label: 'Cloud resource',
    description: 'A managed resource of a cloud provider (queue, function, managed service, …).',
    attributes: {
      provider: oneOf('aws', 'azure', 'gcp', 'oci', 'other'),
      resourceType: text(),
      region: text(100),
      accountId: text(100),
    },
    required: ['provider'],
    identificationRules: ['cloudId', 'name'],
  }),
];
