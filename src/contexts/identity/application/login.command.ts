import { Inject } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { JwtService } from '@nestjs/jwt';
import { APP_CONFIG, AppConfig } from '#config/app-config';
import { IdentityErrors } from '../identity.errors';
import { CREDENTIAL_DIRECTORY, CredentialDirectory, Membership } from './credential-directory';
import { PasswordHasher } from './password-hasher';
import { SignInLimits } from './sign-in-limits';

export interface LoginResult {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  projects: Omit<Membership, 'tenantId'>[];
}

export class LoginCommand extends Command<LoginResult> {
  constructor(
    readonly email: string,
    readonly password: string,
    /** The client's address, for the brute-force limit. */
    readonly address: string,
  ) {
    super();
  }
}

/** Email and password for a short-lived user token. */
@CommandHandler(LoginCommand)
export class LoginHandler implements ICommandHandler<LoginCommand> {
  constructor(
    @Inject(CREDENTIAL_DIRECTORY) private readonly lookups: CredentialDirectory,
    private readonly passwords: PasswordHasher,
    private readonly jwt: JwtService,
    private readonly limits: SignInLimits,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute({ email, password, address }: LoginCommand): Promise<LoginResult> {
    await this.limits.beforeLogin(email, address);
    // Before sign-in nothing is visible under RLS: the narrow SECURITY DEFINER look-up answers for this email only.
    const user = await this.lookups.login(email.trim());
    // Verifying against a dummy hash when the email is unknown keeps both failures equally slow.
    const valid = await this.passwords.verify(password, user?.passwordHash ?? (await this.passwords.dummyHash()));
    if (!user || !valid || user.status !== 'active') throw IdentityErrors.invalidLogin();
    await this.limits.loginSucceeded(email);
    if (this.passwords.needsRehash(user.passwordHash)) {
      // Stored at an older, cheaper cost: replace it now that the password is known (only if it is still that hash).
      await this.lookups.upgradePasswordHash(user.userId, user.passwordHash, await this.passwords.hash(password));
    }
    const projects = await this.lookups.memberships(user.userId);
    return {
      accessToken: await this.jwt.signAsync(
        { sub: user.userId },
        {
          secret: this.config.jwtSecret,
          expiresIn: this.config.jwtTtlSeconds,
          issuer: this.config.identity.jwtIssuer,
          audience: this.config.identity.jwtAudience,
          algorithm: 'HS256',
        },
      ),
      tokenType: 'Bearer',
      expiresIn: this.config.jwtTtlSeconds,
      projects: projects.map(({ projectId, projectName, role }) => ({ projectId, projectName, role })),
    };
  }
}
