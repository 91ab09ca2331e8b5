import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { JwtService } from '@nestjs/jwt';
import { APP_CONFIG, AppConfig } from '#config/app-config';
import { DomainError } from '#kernel';
import { CredentialLookups } from '../infrastructure/credential-lookups';
import { PasswordHasher } from './password-hasher';

export class LoginQuery {
  constructor(
    readonly email: string,
    readonly password: string,
  ) {}
}

export interface LoginResult {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  projects: { projectId: string; projectName: string; role: string }[];
}

// Verifying against a dummy hash when the email is unknown keeps both failures equally slow.
const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

@QueryHandler(LoginQuery)
export class LoginHandler implements IQueryHandler<LoginQuery, LoginResult> {
  constructor(
    private readonly lookups: CredentialLookups,
    private readonly passwords: PasswordHasher,
    private readonly jwt: JwtService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute({ email, password }: LoginQuery): Promise<LoginResult> {
    // Before sign-in nothing is visible under RLS: the narrow SECURITY DEFINER look-up answers for this email only.
    const user = await this.lookups.login(email.trim());
    const valid = await this.passwords.verify(password, user?.passwordHash ?? DUMMY_HASH);
    if (!user || !valid || user.status !== 'active') {
      throw new DomainError('unauthorized', 'auth.invalid_login', 'The email or password is wrong');
    }
    const projects = await this.lookups.memberships(user.userId);
    return {
      accessToken: await this.jwt.signAsync({ sub: user.userId }, { secret: this.config.jwtSecret, expiresIn: this.config.jwtTtlSeconds }),
      tokenType: 'Bearer',
      expiresIn: this.config.jwtTtlSeconds,
      projects: projects.map(({ projectId, projectName, role }) => ({ projectId, projectName, role })),
    };
  }
}
