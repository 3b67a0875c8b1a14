import { Controller, Get, Inject } from '@nestjs/common';
import {
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentCaller, Public, permissionsOfCaller, type Caller } from '@itsm/auth';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway.config';

class OidcSignIn {
  @ApiProperty({ description: "The identity provider's issuer URL (OpenID Connect discovery)." })
  authority!: string;

  @ApiProperty({ description: 'The public client id the console signs in with.' })
  clientId!: string;

  @ApiProperty({ example: 'openid profile' })
  scope!: string;
}

/** How a browser signs in: with the gateway's local issuer, or at the identity provider. */
export class SignInConfig {
  @ApiProperty({
    enum: ['local', 'oidc'],
    description:
      '`local`: `POST /api/v1/auth/token`; `oidc`: authorisation code with PKCE at `oidc.authority`.',
  })
  mode!: 'local' | 'oidc';

  @ApiPropertyOptional({ type: OidcSignIn, nullable: true })
  oidc!: OidcSignIn | null;
}

/** Who the gateway takes the caller for, and what the permission table lets them do. */
export class CallerView {
  @ApiProperty()
  username!: string;

  @ApiProperty({ type: [String] })
  roles!: string[];

  @ApiProperty({ type: [String], description: "The token's groups and those the directory added." })
  groups!: string[];

  @ApiProperty({
    type: [String],
    description: 'Every permission the roles grant (docs/authorization.md).',
  })
  permissions!: string[];
}

export function signInConfig(config: GatewayConfig): SignInConfig {
  if (config.AUTH_MODE === 'local' || !config.CONSOLE_OIDC_CLIENT_ID) {
    return { mode: config.AUTH_MODE, oidc: null };
  }
  return {
    mode: 'oidc',
    oidc: {
      authority: config.CONSOLE_OIDC_AUTHORITY ?? config.AUTH_ISSUER,
      clientId: config.CONSOLE_OIDC_CLIENT_ID,
      scope: config.CONSOLE_OIDC_SCOPE,
    },
  };
}

/** What the web console (and any other client) asks before and right after signing in. */
@ApiTags('auth')
@Controller('api/v1/auth')
export class ConsoleController {
  constructor(@Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig) {}

  @Get('config')
  @Public()
  @ApiOperation({
    summary: 'How to sign in',
    description:
      'Public. `local`: the gateway issues tokens (`POST /api/v1/auth/token`); `oidc`: sign in at the identity provider with the client id given (`CONSOLE_OIDC_CLIENT_ID`; `oidc` is null when none is configured).',
  })
  @ApiResponse({ status: 200, type: SignInConfig })
  howToSignIn(): SignInConfig {
    return signInConfig(this.config);
  }

  @Get('me')
  @ApiOperation({
    summary: 'The caller: user name, roles, groups and permissions',
    description: 'Any valid token or API key; the permissions are those the roles grant.',
  })
  @ApiResponse({ status: 200, type: CallerView })
  me(@CurrentCaller() caller: Caller): CallerView {
    return {
      username: caller.username,
      roles: caller.roles,
      groups: caller.groups,
      permissions: [...permissionsOfCaller(caller)].sort(),
    };
  }
}
