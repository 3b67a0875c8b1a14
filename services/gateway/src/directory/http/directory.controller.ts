import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { type Response } from 'express';
import { RequirePermission } from '@itsm/auth';
import { type DirectoryUser } from '@itsm/contracts';
import {
  ApiProblemResponses,
  CsvExport,
  ExpectedVersion,
  Idempotent,
  PageQuery,
  decodeCursor,
  entityTag,
  type Page,
} from '@itsm/platform';
import { DirectoryService, type DirectoryGroupView } from '../application/directory.service';
import { AddMemberDto, CreateGroupDto, UpdateGroupDto } from './directory.requests';
import {
  DirectoryGroupPageResponse,
  DirectoryGroupResponse,
  DirectoryUserPageResponse,
} from './directory.response';

const GROUP_PARAM = { name: 'name', description: 'The group name (URL-encoded).' };
const MEMBER_PARAM = { name: 'username', description: 'The member’s username (URL-encoded).' };
const IDEMPOTENCY_KEY = {
  name: 'Idempotency-Key',
  required: false,
  description: 'Retrying with the same key returns the first answer.',
};

function groupLocation(name: string): string {
  return `/api/v1/directory/groups/${encodeURIComponent(name)}`;
}

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
  @CsvExport<DirectoryGroupView>({ name: 'groups', columns: ['name', 'description', 'members'] })
  listGroups(@Query() query: PageQuery): Promise<Page<DirectoryGroupView>> {
    return this.directory.listGroups(
      query.limit,
      query.cursor ? decodeCursor(query.cursor, { after: 'text' }).after : undefined,
    );
  }

  @Post('groups')
  @HttpCode(201)
  @RequirePermission('directory:write')
  @Idempotent()
  @ApiOperation({
    summary: 'Create an assignment group',
    description:
      'With no members. Work can be assigned to it as soon as the services have the event (`itsm.group.created.v1`), before any member has signed in. A name that is taken is a 409 `group-exists`.',
  })
  @ApiHeader(IDEMPOTENCY_KEY)
  @ApiResponse({ status: 201, type: DirectoryGroupResponse, description: 'The group.' })
  @ApiProblemResponses(400, 409)
  async createGroup(
    @Body() body: CreateGroupDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<DirectoryGroupView> {
    const group = await this.directory.createGroup(body.name, body.description ?? '');
    response.location(groupLocation(group.name)).setHeader('ETag', entityTag(group.version));
    return group;
  }

  @Get('groups/:name')
  @ApiOperation({ summary: 'Read an assignment group' })
  @ApiParam(GROUP_PARAM)
  @ApiResponse({ status: 200, type: DirectoryGroupResponse, description: 'The group.' })
  @ApiProblemResponses(404)
  async getGroup(
    @Param('name') name: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<DirectoryGroupView> {
    const group = await this.directory.getGroup(name);
    response.setHeader('ETag', entityTag(group.version));
    return group;
  }

  @Patch('groups/:name')
  @RequirePermission('directory:write')
  @ApiOperation({
    summary: "Change a group's description",
    description:
      'Needs If-Match. The name cannot change: records are assigned to it. Publishes `itsm.group.updated.v1` when the description changes.',
  })
  @ApiParam(GROUP_PARAM)
  @ApiHeader({ name: 'If-Match', required: true, description: 'The ETag the group was read with.' })
  @ApiResponse({ status: 200, type: DirectoryGroupResponse, description: 'The group.' })
  @ApiProblemResponses(400, 404, 412, 428)
  async updateGroup(
    @Param('name') name: string,
    @Body() body: UpdateGroupDto,
    @ExpectedVersion() expectedVersion: number,
    @Res({ passthrough: true }) response: Response,
  ): Promise<DirectoryGroupView> {
    const group = await this.directory.updateGroup(name, body.description, expectedVersion);
    response.setHeader('ETag', entityTag(group.version));
    return group;
  }

  @Delete('groups/:name')
  @HttpCode(204)
  @RequirePermission('directory:write')
  @ApiOperation({
    summary: 'Delete an empty group',
    description:
      'Only a group without members (409 `group-has-members` otherwise). Records assigned to it keep its name; nothing new can be assigned to it. Publishes `itsm.group.deleted.v1`. A token that names the group later creates it again.',
  })
  @ApiParam(GROUP_PARAM)
  @ApiResponse({ status: 204, description: 'Deleted.' })
  @ApiProblemResponses(404, 409)
  async deleteGroup(@Param('name') name: string): Promise<void> {
    await this.directory.deleteGroup(name);
  }

  @Post('groups/:name/members')
  @HttpCode(201)
  @RequirePermission('directory:write')
  @Idempotent()
  @ApiOperation({
    summary: 'Add a member to a group',
    description:
      'By username, whether or not they have signed in yet: they can be assigned the group’s work at once, and from their first sign-in their requests carry the group as if their token named it. Their identity provider cannot take the membership away; removing it here can. 409 `member-exists` when they are in the group already. Publishes `itsm.group.updated.v1` (and `itsm.user.updated.v1` for someone who has signed in).',
  })
  @ApiParam(GROUP_PARAM)
  @ApiHeader(IDEMPOTENCY_KEY)
  @ApiResponse({ status: 201, type: DirectoryGroupResponse, description: 'The group.' })
  @ApiProblemResponses(400, 404, 409)
  async addMember(
    @Param('name') name: string,
    @Body() body: AddMemberDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<DirectoryGroupView> {
    const group = await this.directory.addMember(name, body.username);
    response.location(groupLocation(group.name)).setHeader('ETag', entityTag(group.version));
    return group;
  }

  @Delete('groups/:name/members/:username')
  @HttpCode(204)
  @RequirePermission('directory:write')
  @ApiOperation({
    summary: 'Remove a member the directory API added',
    description:
      'They leave the group unless their token also names it. A membership only their token grants is a 409 `membership-from-identity-provider`: change it at the identity provider.',
  })
  @ApiParam(GROUP_PARAM)
  @ApiParam(MEMBER_PARAM)
  @ApiResponse({ status: 204, description: 'Removed.' })
  @ApiProblemResponses(404, 409)
  async removeMember(
    @Param('name') name: string,
    @Param('username') username: string,
  ): Promise<void> {
    await this.directory.removeMember(name, username);
  }
}
