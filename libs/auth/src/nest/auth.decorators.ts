import { SetMetadata, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { type Caller } from '../caller';
import { type Permission } from '../permissions';

export const IS_PUBLIC = 'itsm:public';
export const REQUIRED_PERMISSION = 'itsm:permission';

/** A route anyone may call: health, metrics, the token endpoint, the API reference. */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** The permission a route needs; a caller whose roles do not grant it gets 403. */
export const RequirePermission = (permission: Permission) =>
  SetMetadata(REQUIRED_PERMISSION, permission);

export type RequestWithCaller = { caller?: Caller };

/** The authenticated caller of the current request. */
export const CurrentCaller = createParamDecorator(
  (_: unknown, context: ExecutionContext): Caller => {
    const caller = context.switchToHttp().getRequest<RequestWithCaller>().caller;
    if (!caller)
      throw new Error('CurrentCaller used on a route that no authentication guard protects');
    return caller;
  },
);
