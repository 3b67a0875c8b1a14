import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull } from 'typeorm';
import { type Caller } from '@itsm/auth';
import { NotFoundProblem } from '@itsm/platform';
import { generateApiKeySecret, parseApiKey, secretMatches } from './domain/api-key-secret';
import { ApiKeyEntity } from './persistence/api-key.entity';

export interface ApiKeyView {
  id: string;
  name: string;
  prefix: string;
  roles: string[];
  groups: string[];
  createdBy: string;
  createdAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

function viewOf(entity: ApiKeyEntity): ApiKeyView {
  return {
    id: entity.id,
    name: entity.name,
    prefix: entity.prefix,
    roles: entity.roles,
    groups: entity.groups,
    createdBy: entity.createdBy,
    createdAt: entity.createdAt.toISOString(),
    revokedAt: entity.revokedAt?.toISOString() ?? null,
    lastUsedAt: entity.lastUsedAt?.toISOString() ?? null,
  };
}

/** Writing `last_used_at` on every request would turn reads into writes; once a minute is enough to audit. */
const LAST_USED_RESOLUTION_MS = 60_000;

@Injectable()
export class ApiKeysService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private get keys() {
    return this.dataSource.getRepository(ApiKeyEntity);
  }

  async create(
    name: string,
    roles: string[],
    groups: string[],
    createdBy: string,
  ): Promise<ApiKeyView & { key: string }> {
    const secret = generateApiKeySecret();
    const entity = this.keys.create({
      id: randomUUID(),
      name,
      prefix: secret.prefix,
      secretHash: secret.hash,
      roles,
      groups,
      createdBy,
      revokedAt: null,
      lastUsedAt: null,
    });
    await this.keys.insert(entity);
    const saved = await this.keys.findOneByOrFail({ id: entity.id });
    return { ...viewOf(saved), key: secret.key };
  }

  async list(): Promise<ApiKeyView[]> {
    return (await this.keys.find({ order: { createdAt: 'ASC' } })).map(viewOf);
  }

  async revoke(id: string): Promise<void> {
    const result = await this.keys.update({ id, revokedAt: IsNull() }, { revokedAt: new Date() });
    if (result.affected === 0 && !(await this.keys.existsBy({ id })))
      throw new NotFoundProblem('API key', id);
  }

  /** The caller a key stands for, or undefined when it is unknown, wrong or revoked. */
  async authenticate(key: string): Promise<Caller | undefined> {
    const parsed = parseApiKey(key);
    if (!parsed) return undefined;
    const entity = await this.keys.findOneBy({ prefix: parsed.prefix });
    if (!entity || entity.revokedAt || !secretMatches(parsed.secret, entity.secretHash))
      return undefined;
    if (!entity.lastUsedAt || Date.now() - entity.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
      await this.keys.update({ id: entity.id }, { lastUsedAt: new Date() });
    }
    return {
      username: `api-key:${entity.name}`,
      roles: entity.roles,
      groups: entity.groups,
      kind: 'api_key',
    };
  }
}
