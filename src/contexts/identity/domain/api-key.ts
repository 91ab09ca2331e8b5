import { createHash, randomBytes } from 'node:crypto';
import { IdentityAggregate } from './identity-aggregate';

const PREFIX = 'crm_';

export interface ApiKeyState {
  id: string;
  tenantId: string;
  projectId: string;
  userId: string;
  name: string;
  keyPrefix: string;
  keyHash: string;
  expiresAt: Date | null;
  version: number;
}

/**
 * A user's key to one project. Only its SHA-256 (and a short prefix for display) is stored; the secret is
 * returned once, by `issue`. Revoking destroys the key (a secret is not soft-deleted).
 */
export class ApiKey extends IdentityAggregate {
  private revoked = false;

  private constructor(private readonly state: ApiKeyState) {
    super(state.id, state.version);
  }

  static issue(fields: Omit<ApiKeyState, 'keyPrefix' | 'keyHash' | 'version'>): { key: ApiKey; secret: string } {
    const secret = `${PREFIX}${randomBytes(32).toString('base64url')}`;
    const key = new ApiKey({
      ...fields,
      name: fields.name.trim(),
      keyPrefix: secret.slice(0, 12),
      keyHash: hashApiKey(secret),
      version: 0,
    });
    key.raise('api_key.created', { name: key.state.name, userId: fields.userId, expiresAt: fields.expiresAt?.toISOString() ?? null });
    return { key, secret };
  }

  static restore(state: ApiKeyState): ApiKey {
    return new ApiKey(state);
  }

  get snapshot(): Readonly<ApiKeyState> {
    return { ...this.state, version: this.version };
  }

  get isRevoked(): boolean {
    return this.revoked;
  }

  revoke(by: string): void {
    this.revoked = true;
    this.raise('api_key.revoked', { userId: this.state.userId, revokedBy: by });
  }

  protected readonly aggregateType = 'api_key';

  protected get scope() {
    return { tenantId: this.state.tenantId, projectId: this.state.projectId };
  }
}

export function hashApiKey(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function looksLikeApiKey(token: string): boolean {
  return token.startsWith(PREFIX);
}
