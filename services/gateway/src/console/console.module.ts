import { Inject, Logger, Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { type Express } from 'express';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway.config';
import { ConsoleController, signInConfig } from './console.controller';
import { DEFAULT_CONSOLE_DIR, consoleFiles } from './console-files';

/**
 * The web console at `/` (services/console, docs/console.md), public like `/docs`: its
 * files hold no data, and every call it makes goes to the authenticated API.
 */
@Module({ controllers: [ConsoleController] })
export class ConsoleModule implements OnModuleInit {
  private readonly logger = new Logger(ConsoleModule.name);

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  /**
   * Nest calls this after it has registered every route and before its 404 handler, so
   * the console is reached only by requests no route answers.
   */
  onModuleInit(): void {
    const directory = this.config.CONSOLE_DIR ?? DEFAULT_CONSOLE_DIR;
    const authority = signInConfig(this.config).oidc?.authority;
    const handler = consoleFiles({
      directory,
      identityProviderOrigin: authority ? new URL(authority).origin : undefined,
    });
    if (!handler) {
      this.logger.warn(`no console at ${directory} (npm run build makes it): / is not served`);
      return;
    }
    this.adapterHost.httpAdapter.getInstance<Express>().use(handler);
    this.logger.log(`serving the console from ${directory}`);
  }
}
