import { DomainError, NotFoundError, ValidationError } from '#kernel';

/*
 * Every error code the conversations context answers with: clients match on these codes, so they are part of the
 * published contract.
 */

/** The resources whose absence answers 404 with `<resource>.not_found`. */
export type ConversationsResource = 'chat' | 'message' | 'channel' | 'contact' | 'session' | 'agent' | 'user';

export const ConversationsErrors = {
  notFound: (resource: ConversationsResource, id?: string) => new NotFoundError(resource, id),
  /** A message to a contact needs their WhatsApp number. */
  contactWithoutPhone: (contactId: string) =>
    new DomainError('conflict', 'contact.no_phone', `contact ${contactId} has no phone number to send a WhatsApp message to`),
  /** `POST /sessions/:id/close` on a session that has already ended. */
  sessionEnded: (id: string) => new DomainError('conflict', 'session.already_ended', `session ${id} has already ended`),
  /** Sending without a channel: the contact has no chat to take it from. */
  contactWithoutChat: (contactId: string) =>
    new DomainError('conflict', 'contact.no_chat', `contact ${contactId} has no chat yet: name the channel to send on`),

  // agents
  systemAgent: (id: string) =>
    new DomainError('conflict', 'agent.system', `agent ${id} is one of the project's system agents, which cannot be changed or deleted`),
  agentUserRelink: (id: string) =>
    new DomainError('conflict', 'agent.user_relink', `agent ${id} belongs to its user and cannot be linked to another one`),
  agentUserNotHuman: () => new ValidationError('agent.user_not_human', 'Only a human agent is linked to a user', { field: 'userId' }),
  agentUserNotMember: (userId: string) =>
    new ValidationError('agent.user_not_member', `user ${userId} is not a member of this project`, { field: 'userId' }),
  agentUserTaken: (userId: string) =>
    new DomainError('conflict', 'agent.user_taken', `user ${userId} already has an agent in this project`),
  agentNameInvalid: () => new ValidationError('agent.invalid_name', 'An agent name has 1 to 200 characters', { field: 'name' }),
  agentDeleted: (id: string) => new DomainError('conflict', 'agent.deleted', `agent ${id} is deleted; restore it first`),
  agentNotDeleted: (id: string) => new DomainError('conflict', 'agent.not_deleted', `agent ${id} is not deleted`),
  agentInactive: (id: string) => new DomainError('conflict', 'agent.inactive', `agent ${id} is inactive: activate it to give it work`),
};
