import { AggregateRoot, newId } from '#kernel';
import { ContactPipelineEvents, PIPELINES_EVENT_VERSIONS, StatusRef } from '../pipelines.events';

export interface ContactPipelineState {
  id: string;
  tenantId: string;
  projectId: string;
  pipelineId: string;
  contactId: string;
  statusId: string;
  /** The history entry of the current status (a UUIDv7: the board lists a status's contacts in its order). */
  entryId: string;
  /** When the contact entered its current status. */
  enteredAt: Date;
  version: number;
}

/** A history row the pending change opens or closes (written with the aggregate, in its transaction). */
export type HistoryChange =
  | { kind: 'open'; entryId: string; statusId: string; enteredAt: Date }
  | { kind: 'close'; entryId: string; exitedAt: Date; durationMs: number };

/**
 * One contact's place in one pipeline: its current status, and the history of the statuses it was in. Each move
 * closes the open history entry (exit time, duration) and opens the next; moves of one contact are ordered by this
 * aggregate's compare-and-swap, so the contact never has two open entries.
 */
export class ContactPipeline extends AggregateRoot<ContactPipelineEvents> {
  private readonly history: HistoryChange[] = [];

  private constructor(private state: ContactPipelineState) {
    super(state.id, state.version);
  }

  /** The contact enters the pipeline in `to`. */
  static enter(
    fields: Pick<ContactPipelineState, 'id' | 'tenantId' | 'projectId' | 'pipelineId' | 'contactId'>,
    to: StatusRef,
  ): ContactPipeline {
    const now = new Date();
    const entryId = newId();
    const membership = new ContactPipeline({ ...fields, statusId: to.statusId, entryId, enteredAt: now, version: 0 });
    membership.history.push({ kind: 'open', entryId, statusId: to.statusId, enteredAt: now });
    membership.emit('contact.entered_pipeline', { contactId: fields.contactId, pipelineId: fields.pipelineId, to });
    return membership;
  }

  static restore(state: ContactPipelineState): ContactPipeline {
    return new ContactPipeline(state);
  }

  get snapshot(): Readonly<ContactPipelineState> {
    return { ...this.state, version: this.version };
  }

  /** The history rows to write with the pending change. */
  get historyChanges(): readonly HistoryChange[] {
    return this.history;
  }

  /** Moves the contact from `from` (its current status) to `to`; moving to the current status changes nothing. */
  moveTo(from: StatusRef, to: StatusRef): void {
    if (to.statusId === this.state.statusId) return;
    const now = new Date();
    const durationMs = Math.max(0, now.getTime() - this.state.enteredAt.getTime());
    const entryId = newId();
    this.history.push({ kind: 'close', entryId: this.state.entryId, exitedAt: now, durationMs });
    this.history.push({ kind: 'open', entryId, statusId: to.statusId, enteredAt: now });
    this.state = { ...this.state, statusId: to.statusId, entryId, enteredAt: now };
    this.emit('contact.pipeline_status_changed', {
      contactId: this.state.contactId,
      pipelineId: this.state.pipelineId,
      from,
      to,
      durationMs,
    });
  }

  /** Saved: the history rows were written with it. */
  override commit() {
    this.history.length = 0;
    return super.commit();
  }

  protected readonly aggregateType = 'contact_pipeline';

  protected eventVersionOf(type: keyof ContactPipelineEvents): number {
    return PIPELINES_EVENT_VERSIONS[type];
  }

  protected get scope() {
    return { tenantId: this.state.tenantId, projectId: this.state.projectId };
  }
}
