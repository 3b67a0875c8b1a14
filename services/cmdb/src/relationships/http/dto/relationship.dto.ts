import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { PageQuery } from '@itsm/platform';
import { AsOfQuery } from '../../../shared/as-of.query';
import { IntersectionType } from '@nestjs/swagger';
import { RELATIONSHIP_TYPES, type RelationshipType } from '../../domain/relationship-rules';

export class CreateRelationshipDto {
  @ApiProperty({
    enum: RELATIONSHIP_TYPES,
    description:
      'depends_on, runs_on, hosted_on, member_of: the source depends on the target; provides: the target depends on the source; connected_to: both ways.',
  })
  @IsIn(RELATIONSHIP_TYPES)
  type!: RelationshipType;

  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  sourceId!: string;

  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  targetId!: string;
}

export class RelationshipListQuery extends IntersectionType(PageQuery, AsOfQuery) {
  @ApiPropertyOptional({ format: 'uuid', description: 'Relationships of this CI, either end.' })
  @IsOptional()
  @IsUUID()
  ciId?: string;

  @ApiPropertyOptional({ enum: RELATIONSHIP_TYPES })
  @IsOptional()
  @IsIn(RELATIONSHIP_TYPES)
  type?: RelationshipType;
}

export class RelationshipResponse extends CreateRelationshipDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ description: 'The username, or the importing user for a discovery import.' })
  createdBy!: string;

  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  deletedAt!: string | null;

  @ApiProperty({ type: 'string', nullable: true })
  deletedBy!: string | null;
}

export class RelationshipPage {
  @ApiProperty({ type: [RelationshipResponse] })
  items!: RelationshipResponse[];

  @ApiProperty({ type: 'string', nullable: true })
  nextCursor!: string | null;
}
