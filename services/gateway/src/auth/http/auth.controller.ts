import { Body, Controller, Get, HttpCode, Inject, Optional, Post, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiResponse, ApiTags } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { type Request, type Response } from 'express';
import { type JSONWebKeySet } from 'jose';
import { Public } from '@itsm/auth';
import { ApiProblemResponses, ProblemException } from '@itsm/platform';
import { LoginAttemptsService } from '../application/login-attempts.service';
import { LocalTokenIssuer, type IssuedToken } from '../domain/token-issuer';

class TokenRequestDto {
  @ApiProperty({ minLength: 1, maxLength: 200, example: 'agent' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  username!: string;

  @ApiProperty({ minLength: 1, maxLength: 500, format: 'password' })
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  password!: string;
}

/** Documentation only: what {@link LocalTokenIssuer.issue} answers. */
class TokenResponse {
  @ApiProperty({ description: 'A signed JWT to send as `Authorization: Bearer <token>`.' })
  accessToken!: string;

  @ApiProperty({ enum: ['Bearer'] })
  tokenType!: 'Bearer';

  @ApiProperty({ type: 'integer', minimum: 1, description: 'Seconds until the token expires.' })
  expiresIn!: number;
}

const LOCAL_ISSUER_OFF = new ProblemException(
  404,
  'local-issuer-disabled',
  'Not Found',
  'The gateway runs with AUTH_MODE=oidc: tokens come from the identity provider.',
);

@ApiTags('auth')
@Controller()
@Public()
export class AuthController {
  constructor(
    @Optional() @Inject(LocalTokenIssuer) private readonly issuer: LocalTokenIssuer | null,
    private readonly attempts: LoginAttemptsService,
  ) {}

  /** The local development issuer (AUTH_MODE=local): a token for a seeded user. */
  @Post('api/v1/auth/token')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Get a token (local mode)',
    description:
      'The local development issuer (`AUTH_MODE=local`) signs a token for a seeded user. With `AUTH_MODE=oidc` tokens come from the identity provider and this answers 404. Failed attempts are limited per username and per client address: past the limit every attempt answers 429 with `Retry-After`, the right password included, until the lockout ends.',
  })
  @ApiResponse({ status: 200, description: 'A bearer token.', type: TokenResponse })
  @ApiProblemResponses(
    400,
    { status: 401, description: 'The username or password is wrong.' },
    { status: 404, description: 'The gateway does not issue tokens (`AUTH_MODE=oidc`).' },
    {
      status: 429,
      description:
        'Too many failed logins for this username or from this address: retry after `Retry-After` seconds.',
    },
  )
  async token(
    @Body() body: TokenRequestDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<IssuedToken> {
    if (!this.issuer) throw LOCAL_ISSUER_OFF;
    const admission = await this.attempts.begin(body.username, request.ip);
    if (!admission.admitted) {
      response.setHeader('Retry-After', String(admission.retryAfterSeconds));
      throw new ProblemException(
        429,
        'too-many-login-attempts',
        'Too many login attempts',
        `Logins for this username or from this address are refused for ${admission.retryAfterSeconds} seconds.`,
      );
    }
    const token = await this.issuer.issue(body.username, body.password);
    if (!token) {
      throw new ProblemException(
        401,
        'invalid-credentials',
        'Invalid credentials',
        'The username or password is wrong.',
      );
    }
    await this.attempts.succeeded(admission.attempt);
    return token;
  }

  /** The public keys that verify the tokens this gateway issues. */
  @Get('.well-known/jwks.json')
  @ApiOperation({ summary: 'The public keys that verify the tokens this gateway issues' })
  jwks(): JSONWebKeySet {
    if (!this.issuer) throw LOCAL_ISSUER_OFF;
    return this.issuer.jwks;
  }
}
