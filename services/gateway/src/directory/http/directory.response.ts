import { ApiProperty } from '@nestjs/swagger';

/** Documentation of the directory's answers. */
export class DirectoryUserResponse {
  @ApiProperty({ example: 'agent' })
  username!: string;

  @ApiProperty({ type: [String], example: ['agent'] })
  roles!: string[];

  @ApiProperty({
    type: [String],
    example: ['service-desk'],
    description: 'From their token and from the directory API.',
  })
  groups!: string[];

  @ApiProperty({ enum: ['seed', 'token'], description: 'Seeded, or first seen in a token.' })
  source!: string;
}

export class DirectoryGroupResponse {
  @ApiProperty({ example: 'service-desk' })
  name!: string;

  @ApiProperty()
  description!: string;

  @ApiProperty({
    type: [String],
    description: 'Everyone in the group: through their token or the directory API.',
  })
  members!: string[];

  @ApiProperty({
    type: [String],
    description:
      'The members the directory API added, whom it can remove; the others are in the group through their token.',
  })
  apiMembers!: string[];

  @ApiProperty({
    type: 'integer',
    minimum: 1,
    description: 'Goes up with every change of the group; the `ETag`.',
  })
  version!: number;
}

export class DirectoryUserPageResponse {
  @ApiProperty({ type: [DirectoryUserResponse] })
  items!: DirectoryUserResponse[];

  @ApiProperty({ type: 'string', nullable: true })
  nextCursor!: string | null;
}

export class DirectoryGroupPageResponse {
  @ApiProperty({ type: [DirectoryGroupResponse] })
  items!: DirectoryGroupResponse[];

  @ApiProperty({ type: 'string', nullable: true })
  nextCursor!: string | null;
}
