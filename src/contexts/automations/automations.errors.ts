import { DomainError, NotFoundError, ValidationError } from '#kernel';

/** One invalid element of a definition: its path in the request body (`actions[1].params.tag`) and why. */
export interface DefinitionProblem {
  field: string;
  message: string;
}

/* Every error code the automations context answers with: part of its published contract. */
export const AutomationsErrors = {
  notFound: (id?: string) => new NotFoundError('automation', id),
  invalidDefinition: (errors: DefinitionProblem[]) =>
    new ValidationError('automation.invalid_definition', errors.map((e) => `${e.field}: ${e.message}`).join('; '), { errors }),
  deleted: () => new DomainError('conflict', 'automation.deleted', 'A deleted automation cannot be changed; restore it first'),
  alreadyDeleted: () => new DomainError('conflict', 'automation.already_deleted', 'The automation is already deleted'),
  notDeleted: () => new DomainError('conflict', 'automation.not_deleted', 'The automation is not deleted'),
  /** An action that needs a contact, on an event that concerns none (recorded as the action's failure). */
  noContact: () => new DomainError('unprocessable', 'automation.no_contact', 'The event concerns no contact to act on'),
} as const;
