import { CHANGE_RISKS, type ChangeRisk } from '@itsm/contracts';

/** low 0 .. very_high 3: the order every comparison of risks uses. */
export function riskRank(risk: ChangeRisk): number {
  return CHANGE_RISKS.indexOf(risk);
}

export function higherRisk(a: ChangeRisk, b: ChangeRisk): ChangeRisk {
  return riskRank(b) > riskRank(a) ? b : a;
}

export function atLeastRisk(risk: ChangeRisk, floor: ChangeRisk): boolean {
  return riskRank(risk) >= riskRank(floor);
}

/** How a reason names a risk: `very high`, not `very_high`. */
export function riskLabel(risk: ChangeRisk): string {
  return risk.replace('_', ' ');
}

/** The risks from `floor` up: what "risk at least high" means as a set. */
export function risksFrom(floor: ChangeRisk): ChangeRisk[] {
  return CHANGE_RISKS.filter((risk) => atLeastRisk(risk, floor));
}
