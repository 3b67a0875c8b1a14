/**
 * The CI graph of the CMDB benchmark, shared by the benchmarks that need an estate: the
 * class mix of each CI (`itemFor`, an import item as `POST /api/v1/cmdb/imports` takes it)
 * and the seeded random numbers its relationships are drawn with. The CMDB benchmark
 * imports it through the API; the change benchmark loads the same graph with SQL
 * (bench/src/change/graph.ts).
 */

/** xorshift32: the same graph for the same seed, on any machine. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}

/** An import item: what the CMDB benchmark sends for one CI. */
export interface GraphItem {
  class: string;
  name: string;
  criticality?: number;
  identifiers?: Record<string, string | string[]>;
  attributes?: Record<string, string | number>;
}

/** A CI mix like an enterprise estate: few services, many servers, some network and storage. */
export function itemFor(index: number): GraphItem {
  const bucket = index % 100;
  const name = `ci-${index}`;
  if (bucket === 0)
    return { class: 'business_service', name: `service-${index}`, criticality: (index % 4) + 1 };
  if (bucket <= 5) return { class: 'application', name: `app-${index}` };
  if (bucket <= 25)
    return {
      class: 'application_instance',
      name,
      identifiers: { fqdn: `${name}.apps.example` },
      attributes: { port: 8080 },
    };
  if (bucket <= 75)
    return {
      class: 'virtual_server',
      name,
      identifiers: {
        cloudId: `vm-${index}`,
        fqdn: `${name}.corp.example`,
        ipAddresses: [ip(index)],
      },
      attributes: { os: 'Ubuntu', cpuCount: 2 + (index % 15), memoryMb: 4096, hypervisor: 'kvm' },
    };
  if (bucket <= 85)
    return {
      class: 'physical_server',
      name,
      identifiers: { serialNumber: `SN${index}`, fqdn: `${name}.dc.example` },
      attributes: { cpuCount: 64, memoryMb: 524288 },
    };
  if (bucket <= 92)
    return {
      class: 'network_device',
      name,
      identifiers: { serialNumber: `NET${index}` },
      attributes: { deviceType: 'switch' },
    };
  return {
    class: 'storage',
    name,
    identifiers: { serialNumber: `STO${index}` },
    attributes: { storageType: 'san' },
  };
}

export function ip(index: number): string {
  return `10.${(index >> 16) & 255}.${(index >> 8) & 255}.${index & 255}`;
}

/** A relationship's target: the `known`-th CI imported before, or CI `inRequest` of the same request. */
export type DependencyDraw = { known: number } | { inRequest: number };

/**
 * The `depends_on` targets of CI `index`, imported in the request for CIs [from, to) when
 * `known` CIs were imported before: each of `perCi` draws is one of those or one of this
 * request's (which may close a cycle); a draw of the CI itself is skipped. The CMDB
 * benchmark's import draws exactly so, `known` being however many CIs the earlier requests
 * created by then; an import one request at a time has `known = from`.
 */
export function dependencyDraws(
  random: () => number,
  index: number,
  known: number,
  from: number,
  to: number,
  perCi: number,
): DependencyDraw[] {
  const draws: DependencyDraw[] = [];
  for (let link = 0; link < perCi; link += 1) {
    const pick = Math.floor(random() * (known + (to - from)));
    if (pick < known) draws.push({ known: pick });
    else if (from + (pick - known) !== index) draws.push({ inRequest: from + (pick - known) });
  }
  return draws;
}
