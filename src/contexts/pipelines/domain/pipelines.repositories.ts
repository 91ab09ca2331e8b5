import type { ExpectedVersion } from '#kernel';
import type { ContactPipeline } from './contact-pipeline';
import type { Pipeline } from './pipeline';

/** Port: pipelines (with their statuses) of the current tenant (RLS hides every other tenant). */
export interface PipelineRepository {
  /** `forShare`: hold the pipeline's row against changes until the transaction ends (a move into it). */
  findById(projectId: string, id: string, options?: { withDeleted?: boolean; forShare?: boolean }): Promise<Pipeline | null>;
  /** How many live contacts are in the status now. */
  contactsInStatus(pipelineId: string, statusId: string): Promise<number>;
  /** Saves the pipeline, the status rows its change touches and its outbox events. */
  save(pipeline: Pipeline, expected?: ExpectedVersion): Promise<void>;
}

/** Port: contacts' places in pipelines. */
export interface ContactPipelineRepository {
  /**
   * Holds, until the transaction ends, a lock on the contact's place in the pipeline: moves of one contact queue
   * up instead of racing (the compare-and-swap still refuses a lost race).
   */
  lock(pipelineId: string, contactId: string): Promise<void>;
  find(pipelineId: string, contactId: string): Promise<ContactPipeline | null>;
  /** Saves the place, the history rows its change opens or closes, and its outbox events. */
  save(membership: ContactPipeline, expected?: ExpectedVersion): Promise<void>;
  /** Takes the contact's places off every board while it is deleted, or puts them back. */
  setContactDeleted(contactId: string, deleted: boolean): Promise<void>;
}

export const PIPELINE_REPOSITORY = Symbol('PipelineRepository');
export const CONTACT_PIPELINE_REPOSITORY = Symbol('ContactPipelineRepository');
