import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { RequirePermission } from '@itsm/auth';
import { type DirectoryGroup, type DirectoryUser } from '@itsm/contracts';
import { PageQuery, decodeCursor, type Page, CsvExport } from '@itsm/platform';
import { DirectoryService } from '../application/directory.service';
import { DirectoryGroupPageResponse, DirectoryUserPageResponse } from './directory.response';

@ApiTags('directory')
@Controller('api/v1/directory')
@RequirePermission('directory:read')
export class DirectoryController {
  constructor(private readonly directory: DirectoryService) {}

  @Get('users')
  @ApiOperation({ summary: 'Users, with their roles and groups, by username' })
  @ApiResponse({ status: 200, type: DirectoryUserPageResponse })
  @CsvExport<DirectoryUser>({ name: 'users', columns: ['username', 'roles', 'groups', 'source'] })
  listUsers(@Query() query: PageQuery): Promise<Page<DirectoryUser>> {
    return this.directory.listUsers(
      query.limit,
      query.cursor ? decodeCursor(query.cursor, { after: 'text' }).after : undefined,
    );
  }

  @Get('groups')
  @ApiOperation({ summary: 'Assignment groups with their members, by name' })
  @ApiResponse({ status: 200, type: DirectoryGroupPageResponse })
  @CsvExport<DirectoryGroup>({ name: 'groups', columns: ['name', 'description', 'members'] })
  listGroups(@Query() query: PageQuery): Promise<Page<DirectoryGroup>> {
    return this.directory.listGroups(
      query.limit,
      query.cursor ? decodeCursor(query.cursor, { after: 'text' }).after : undefined,
    );
  }
}
