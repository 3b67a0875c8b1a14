import { RequestMethod, type INestApplicationContext } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { MetadataScanner, ModulesContainer } from '@nestjs/core';
import { IS_PUBLIC, REQUIRED_PERMISSION } from '@itsm/auth';

/** What the guards will decide for one controller method, read from the same metadata they read. */
export interface RouteAccess {
  controller: string;
  handler: string;
  /** `@Public()`: no bearer token needed. */
  isPublic: boolean;
  /** `@RequirePermission(...)`: the permission the caller's roles must grant. */
  permission?: string;
  /** `@All(...)`: a catch-all that forwards whatever it gets (the gateway's proxy), not an operation of its own. */
  catchAll: boolean;
}

function metadata<T>(key: string, handler: object, controller: object): T | undefined {
  return (Reflect.getMetadata(key, handler) ?? Reflect.getMetadata(key, controller)) as
    T | undefined;
}

/** Every HTTP handler of the application's controllers, with its access rules. */
export function routeAccessOf(app: INestApplicationContext): RouteAccess[] {
  const scanner = new MetadataScanner();
  const routes: RouteAccess[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: never[]) => object) | null;
      if (!controller || typeof controller !== 'function') continue;
      const prototype = controller.prototype as Record<string, unknown>;
      for (const name of scanner.getAllMethodNames(prototype)) {
        const handler = prototype[name];
        if (typeof handler !== 'function') continue;
        if (Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
        routes.push({
          controller: controller.name,
          handler: name,
          isPublic: metadata<boolean>(IS_PUBLIC, handler, controller) ?? false,
          permission: metadata<string>(REQUIRED_PERMISSION, handler, controller),
          catchAll: Reflect.getMetadata(METHOD_METADATA, handler) === RequestMethod.ALL,
        });
      }
    }
  }
  return routes;
}

/** The operation id @nestjs/swagger gives a handler: `<Controller>_<method>`. */
export function operationIdOf(controllerKey: string, methodKey: string): string {
  return `${controllerKey}_${methodKey}`;
}

/**
 * Does an operation id belong to a route? Aliases get `[n]` appended, catch-alls the
 * HTTP method (`_get`, `_post`, ...).
 */
export function belongsTo(operationId: string, route: RouteAccess): boolean {
  const base = operationIdOf(route.controller, route.handler);
  if (operationId === base) return true;
  const rest = operationId.slice(base.length);
  return operationId.startsWith(base) && (route.catchAll ? /^_[a-z]+$/ : /^\[\d+\]$/).test(rest);
}
