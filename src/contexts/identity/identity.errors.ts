import { DomainError, NotFoundError, ValidationError } from '#kernel';

/**
 * Every error the identity context gives a client, with its stable code. One place, so a code is never spelled
 * twice and the API's documentation can point here.
 */
export const IdentityErrors = {
  invalidLogin: () => new DomainError('unauthorized', 'auth.invalid_login', 'The email or password is wrong'),
  tooManyLogins: (retryAfterSeconds: number) =>
    new DomainError('rate_limited', 'auth.too_many_attempts', 'Too many sign-in attempts; retry later', { retryAfter: retryAfterSeconds }),
  tooManyRegistrations: (retryAfterSeconds: number) =>
    new DomainError('rate_limited', 'auth.too_many_registrations', 'Too many accounts created from this address; retry later', {
      retryAfter: retryAfterSeconds,
    }),
  duplicateEmail: () => new DomainError('conflict', 'user.duplicate_email', 'An account with this email already exists'),
  passwordTooCommon: () => new ValidationError('user.password_too_common', 'This password is one of the most common ones; choose another'),
  passwordLikeIdentity: () =>
    new ValidationError('user.password_like_identity', 'The password must not be your email address or your name'),
  userNotFound: (id?: string) => new NotFoundError('user', id),

  projectNotFound: (id?: string) => new NotFoundError('project', id),
  projectRequired: () => new ValidationError('auth.project_required', 'A user token needs the X-Project-Id header to select a project'),
  projectNameRequired: () => new ValidationError('project.name_required', 'A project needs a name'),
  projectDuplicateName: () => new DomainError('conflict', 'project.duplicate_name', 'A project with this name already exists'),
  projectInUse: () => new DomainError('conflict', 'project.in_use', 'A project cannot delete itself; use a credential of another project'),
  projectAlreadyDeleted: () => new DomainError('conflict', 'project.already_deleted', 'The project is already deleted'),
  projectNotDeleted: () => new DomainError('conflict', 'project.not_deleted', 'The project is not deleted'),
  projectLastActive: () =>
    new DomainError('conflict', 'project.last_active', 'The last active project of a tenant cannot be deactivated or deleted'),

  memberNotFound: (id?: string) => new NotFoundError('project_member', id),
  memberDuplicate: () => new DomainError('conflict', 'project_member.duplicate', 'This user is already a member of the project'),
  lastAdmin: () => new DomainError('conflict', 'project_member.last_admin', 'A project must keep at least one admin'),

  apiKeyNotFound: (id?: string) => new NotFoundError('api_key', id),
  apiKeyLimit: (max: number) =>
    new DomainError('conflict', 'api_key.limit_reached', `You already have ${max} active API keys in this project; revoke one first`, {
      max,
    }),

  invitationNotFound: (id?: string) => new NotFoundError('invitation', id),
  invitationDuplicate: () =>
    new DomainError('conflict', 'invitation.duplicate', 'A pending invitation for this email to this project already exists'),
  invitationExpired: () => new DomainError('conflict', 'invitation.expired', 'The invitation has expired; ask for a new one'),
  invitationNotPending: (status: string) =>
    new DomainError('conflict', 'invitation.not_pending', `The invitation was already ${status}`, { invitationStatus: status }),
} as const;
