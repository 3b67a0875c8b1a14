import { Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';

/**
 * Whether the process has been asked to stop. From then on readiness answers 503, so the
 * load balancer (a Kubernetes Service's endpoints) sends it no new requests while it
 * finishes the ones it has.
 */
@Injectable()
export class ShutdownState {
  private drainingSince?: Date;

  constructor(private readonly indicators: HealthIndicatorService) {}

  get draining(): boolean {
    return this.drainingSince !== undefined;
  }

  startDraining(): void {
    this.drainingSince ??= new Date();
  }

  check(key: string): HealthIndicatorResult {
    const indicator = this.indicators.check(key);
    return this.drainingSince
      ? indicator.down({ message: `shutting down since ${this.drainingSince.toISOString()}` })
      : indicator.up();
  }
}
