// `npm run test:k8s`: the container image and a live install of the Helm chart on a real
// kube-apiserver. Not part of `npm test`: it needs buildah, podman and the cluster binaries,
// and takes minutes. Kafka and PostgreSQL come up once, as for the other suites.
const base = require('../jest.config.js');
const [unit] = base.projects;

module.exports = {
  globalSetup: base.globalSetup,
  testTimeout: 1_800_000,
  rootDir: '..',
  transform: unit.transform,
  moduleNameMapper: unit.moduleNameMapper,
  testEnvironment: 'node',
  displayName: 'k8s',
  testMatch: ['<rootDir>/test-k8s/**/*.k8s-spec.ts'],
};
