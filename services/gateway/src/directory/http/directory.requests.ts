import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { RESERVED_USERNAME_PREFIXES } from '../domain/memberships';

/** No space at either end, no line break (a name is compared as it is, to a token's claim). */
const TRIMMED = String.raw`\S(?:.*\S)?`;
export const GROUP_NAME = new RegExp(`^${TRIMMED}$`);
/** A person: not an API key's or a service's name, which tokens never carry. */
export const MEMBER_USERNAME = new RegExp(
  `^(?!${RESERVED_USERNAME_PREFIXES.join('|')})${TRIMMED}$`,
);

export class CreateGroupDto {
  @ApiProperty({
    minLength: 1,
    maxLength: 100,
    pattern: GROUP_NAME.source,
    example: 'network',
    description:
      'What records are assigned to; it cannot be changed. To pre-create a group your identity provider will send, use exactly the value its groups claim carries.',
  })
  @IsString()
  @MaxLength(100)
  @Matches(GROUP_NAME, {
    message: 'name must be 1-100 characters on one line, without spaces at either end',
  })
  name!: string;

  @ApiPropertyOptional({ maxLength: 500, example: 'Network engineering' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string;
}

export class UpdateGroupDto {
  @ApiProperty({ maxLength: 500, example: 'Network engineering, 24x7' })
  @IsString()
  @MaxLength(500)
  description!: string;
}

export class AddMemberDto {
  @ApiProperty({
    minLength: 1,
    maxLength: 200,
    pattern: MEMBER_USERNAME.source,
    example: 'dana',
    description:
      'The username as the token will carry it (`AUTH_USERNAME_CLAIM`); the person need not have signed in yet.',
  })
  @IsString()
  @MaxLength(200)
  @Matches(MEMBER_USERNAME, {
    message:
      'username must be 1-200 characters on one line, without spaces at either end, and not start with service: or api-key:',
  })
  username!: string;
}
