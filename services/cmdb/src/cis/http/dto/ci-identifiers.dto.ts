import { ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsIP,
  IsOptional,
  IsString,
  MaxLength,
  MinLength,
} from 'class-validator';

/** The values that identify a CI across discovery sources (compared case-insensitively). */
export class CiIdentifiersDto {
  @ApiPropertyOptional({ example: 'CZ12345678', maxLength: 200 })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  serialNumber?: string;

  @ApiPropertyOptional({ example: 'web01', maxLength: 253 })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(253)
  hostname?: string;

  @ApiPropertyOptional({ example: 'web01.corp.example.com', maxLength: 253 })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(253)
  fqdn?: string;

  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'string', anyOf: [{ format: 'ipv4' }, { format: 'ipv6' }] },
    example: ['10.0.0.12'],
    maxItems: 64,
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(64)
  @IsIP(undefined, { each: true })
  ipAddresses?: string[];

  @ApiPropertyOptional({
    example: 'arn:aws:ec2:eu-west-1:123456789012:instance/i-0abc',
    maxLength: 500,
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  cloudId?: string;
}
