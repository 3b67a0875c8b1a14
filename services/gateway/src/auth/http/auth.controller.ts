import { Body, Controller, Get, HttpCode, Inject, Post } from '@nestjs/common';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { type JSONWebKeySet } from 'jose';
import { ProblemException } from '@itsm/platform';
import { LocalTokenIssuer, type IssuedToken } from '../domain/token-issuer';

class TokenRequestDto {
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  username!: string;

  @IsString()
  @MinLength(1)
  @MaxLength(500)
  password!: string;
}

@Controller()
export class AuthController {
  constructor(@Inject(LocalTokenIssuer) private readonly issuer: LocalTokenIssuer) {}

  /** The local development issuer (AUTH_MODE=local): a token for a seeded user. */
  @Post('api/v1/auth/token')
  @HttpCode(200)
  async token(@Body() body: TokenRequestDto): Promise<IssuedToken> {
    const token = await this.issuer.issue(body.username, body.password);
    if (!token) {
      throw new ProblemException(
        401,
        'invalid-credentials',
        'Invalid credentials',
        'The username or password is wrong.',
      );
    }
    return token;
  }

  /** The public keys that verify the tokens this gateway issues. */
  @Get('.well-known/jwks.json')
  jwks(): JSONWebKeySet {
    return this.issuer.jwks;
  }
}
