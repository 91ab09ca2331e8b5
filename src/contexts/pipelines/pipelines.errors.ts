import { DomainError, NotFoundError, ValidationError } from '#kernel';

/*
 * Every error code the pipelines context answers with, in one place: clients match on these codes, so they are
 * part of the published contract.
 */

/** The resources whose absence answers 404 with `<resource>.not_found`. */
export type PipelinesResource = 'pipeline' | 'pipeline_status' | 'contact' | 'contact_pipeline';

export const PipelinesErrors = {
  notFound: (resource: PipelinesResource, id?: string) => new NotFoundError(resource, id),

  // pipeline
  nameRequired: () => new ValidationError('pipeline.name_required', 'A pipeline needs a name', { field: 'name' }),
  pipelineDeleted: () =>
    new DomainError('conflict', 'pipeline.deleted', 'A deleted pipeline cannot be changed or moved into; restore it first'),
  pipelineAlreadyDeleted: () => new DomainError('conflict', 'pipeline.already_deleted', 'The pipeline is already deleted'),
  pipelineNotDeleted: () => new DomainError('conflict', 'pipeline.not_deleted', 'The pipeline is not deleted'),
  invalidTimeout: () =>
    new ValidationError('pipeline.invalid_session_timeout', 'sessionTimeoutMinutes must be a whole number of minutes from 1 to 43200', {
      field: 'sessionTimeoutMinutes',
    }),

  // pipeline_status
  statusNameRequired: () => new ValidationError('pipeline_status.name_required', 'A status needs a name', { field: 'name' }),
  duplicateStatusName: (name?: string) =>
    new DomainError(
      'conflict',
      'pipeline_status.duplicate_name',
      name ? `The pipeline already has a status named "${name}"` : 'The pipeline already has a status with this name',
    ),
  statusDeleted: (id: string) => new DomainError('conflict', 'pipeline_status.deleted', `Status ${id} was removed from the pipeline`),
  statusNotEmpty: (count: number) =>
    new DomainError('conflict', 'pipeline_status.not_empty', `${count} contact(s) are in this status; move them out first`, { count }),
  tooManyStatuses: (max: number) =>
    new ValidationError('pipeline_status.too_many', `A pipeline has at most ${max} statuses`, { field: 'statuses' }),
  unknownStatuses: (statusIds: string[]) =>
    new ValidationError('pipeline_status.unknown', 'Some statuses are not live statuses of this pipeline', { statusIds }),
  invalidOrder: () =>
    new ValidationError('pipeline_status.invalid_order', 'statusIds must list every live status of the pipeline exactly once', {
      field: 'statusIds',
    }),

  // moves
  transitionNotAllowed: (from: string, to: string) =>
    new DomainError('conflict', 'pipeline_status.transition_not_allowed', `A contact in "${from}" cannot move to "${to}"`),
} as const;
