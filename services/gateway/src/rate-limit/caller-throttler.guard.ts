import { Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import { type RequestWithCaller } from '@itsm/auth';

/**
 * Counts requests per authenticated caller (a user or an API key), so one noisy client
 * cannot starve the others; unauthenticated requests (the token endpoint) count per address.
 * Runs after authentication, which has set the caller.
 */
@Injectable()
export class CallerThrottlerGuard extends ThrottlerGuard {
  protected override async getTracker(request: Record<string, unknown>): Promise<string> {
    const caller = (request as RequestWithCaller).caller;
    return caller ? `caller:${caller.username}` : `address:${String(request.ip)}`;
  }
}
