import { ApiProperty } from '@nestjs/swagger';

/** Documentation of the directory's answers. */
export class DirectoryUserResponse {
  @ApiProperty({ example: 'agent' })
  username!: string;

  @ApiProperty({ type: [String], example: ['agent'] })
  roles!: string[];

  @ApiProperty({ type: [String], example: ['service-desk'] })
  groups!: string[];

  @ApiProperty({ enum: ['seed', 'token'], description: 'Seeded, or first seen in a token.' })
  source!: string;
}

export class DirectoryGroupResponse {
  @ApiProperty({ example: 'service-desk' })
  name!: string;

  @ApiProperty()
  description!: string;

  @ApiProperty({ type: [String] })
  members!: string[];
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
