/*
 * What other contexts may call synchronously in the pipelines context (everything else they learn from
 * pipelines.events.ts). Calls join the caller's transaction when there is one (else open one), act in the tenant
 * of the caller's context under RLS, and raise the same events as the HTTP API. Each call names its project: a
 * caller acting on an event (not a request) has no principal to take it from.
 */

export interface PipelinesApi {
  /** Moves the contact to the status (entering the pipeline the first time); same rules/events as the HTTP route. */
  moveContact(input: { projectId: string; contactId: string; pipelineId: string; statusId: string }): Promise<void>;
  /** The contact's current status in the pipeline, or undefined when it is not in it. */
  currentStatus(input: {
    projectId: string;
    contactId: string;
    pipelineId: string;
  }): Promise<{ statusId: string; statusName: string } | undefined>;
  /**
   * The pipeline's session timeout (what a channel referencing the pipeline falls back to), or undefined when the
   * pipeline sets none, is deleted or does not exist in the project.
   */
  sessionTimeoutMinutes(input: { projectId: string; pipelineId: string }): Promise<number | undefined>;
}

/** Nest token of the PipelinesApi provider, exported by PipelinesModule. */
export const PIPELINES_API = Symbol('PipelinesApi');
