import { DomainError, NotFoundError } from '#kernel';

/*
 * Every error code the conversations context answers with: clients match on these codes, so they are part of the
 * published contract.
 */

/** The resources whose absence answers 404 with `<resource>.not_found`. */
export type ConversationsResource = 'chat' | 'message' | 'channel' | 'contact' | 'session';

export const ConversationsErrors = {
  notFound: (resource: ConversationsResource, id?: string) => new NotFoundError(resource, id),
  /** A message to a contact needs their WhatsApp number. */
  contactWithoutPhone: (contactId: string) =>
    new DomainError('conflict', 'contact.no_phone', `contact ${contactId} has no phone number to send a WhatsApp message to`),
  /** `POST /sessions/:id/close` on a session that has already ended. */
  sessionEnded: (id: string) => new DomainError('conflict', 'session.already_ended', `session ${id} has already ended`),
};
