import { AggregateRoot } from '#kernel';
import { PipelinesErrors } from '../pipelines.errors';
import { PIPELINES_EVENT_VERSIONS, PipelineEvents, PipelineStatusPayload, PipelineStatusType, StatusRef } from '../pipelines.events';

/** The most statuses a pipeline may have (a board column each). */
export const MAX_STATUSES = 50;
const MAX_TIMEOUT_MINUTES = 43_200;

export interface PipelineStatusState extends PipelineStatusPayload {
  deletedAt: Date | null;
}

export interface PipelineState {
  id: string;
  tenantId: string;
  projectId: string;
  name: string;
  description: string | null;
  color: string | null;
  sessionTimeoutMinutes: number | null;
  version: number;
  deletedAt: Date | null;
  /** Live and removed statuses; removed ones keep their ids for the history that names them. */
  statuses: PipelineStatusState[];
}

export interface NewStatus {
  id: string;
  name: string;
  type: PipelineStatusType;
  color?: string | null;
  allowedNext?: string[] | null;
}

export type PipelineFields = Pick<PipelineState, 'name' | 'description' | 'color' | 'sessionTimeoutMinutes'>;
export type StatusChanges = Partial<Pick<PipelineStatusPayload, 'name' | 'type' | 'color' | 'allowedNext'>>;

/**
 * A sales pipeline and its statuses (the board's columns). Statuses change only through their pipeline, so every
 * change of one moves the pipeline to its next version: concurrent edits of a board are ordered by its
 * compare-and-swap, and names stay unique per pipeline. A status may list the statuses a contact in it may move
 * to (`allowedNext`); null lets it move anywhere.
 */
export class Pipeline extends AggregateRoot<PipelineEvents> {
  /** Statuses whose rows the pending change touches (the repository writes only these). */
  private readonly touched = new Set<string>();

  private constructor(private state: PipelineState) {
    super(state.id, state.version);
  }

  static create(fields: Omit<PipelineState, 'version' | 'deletedAt' | 'statuses'>, statuses: readonly NewStatus[]): Pipeline {
    const pipeline = new Pipeline({ ...fields, ...validFields(fields), version: 0, deletedAt: null, statuses: [] });
    if (statuses.length > MAX_STATUSES) throw PipelinesErrors.tooManyStatuses(MAX_STATUSES);
    for (const status of statuses) pipeline.insertStatus(status);
    const { name, description, color, sessionTimeoutMinutes } = pipeline.state;
    pipeline.emit('pipeline.created', {
      name,
      description,
      color,
      sessionTimeoutMinutes,
      statuses: pipeline.liveStatuses().map(payloadOf),
    });
    return pipeline;
  }

  static restore(state: PipelineState): Pipeline {
    return new Pipeline(state);
  }

  get snapshot(): Readonly<PipelineState> {
    return { ...this.state, version: this.version };
  }

  get isDeleted(): boolean {
    return this.state.deletedAt !== null;
  }

  /** The status rows the pending change adds or changes. */
  get changedStatuses(): PipelineStatusState[] {
    return this.state.statuses.filter((s) => this.touched.has(s.id));
  }

  /** Live statuses in board order. */
  liveStatuses(): PipelineStatusState[] {
    return this.state.statuses.filter((s) => s.deletedAt === null).sort((a, b) => a.position - b.position);
  }

  update(changes: Partial<PipelineFields>): void {
    this.assertLive();
    const next = validFields({ ...this.state, ...definedOnly(changes) });
    const changed: Partial<PipelineFields> = {};
    for (const key of ['name', 'description', 'color', 'sessionTimeoutMinutes'] as const) {
      if (changes[key] !== undefined && next[key] !== this.state[key]) Object.assign(changed, { [key]: next[key] });
    }
    if (Object.keys(changed).length === 0) return;
    this.state = { ...this.state, ...changed };
    this.emit('pipeline.updated', { changes: changed });
  }

  delete(): void {
    if (this.isDeleted) throw PipelinesErrors.pipelineAlreadyDeleted();
    this.state = { ...this.state, deletedAt: new Date() };
    this.emit('pipeline.deleted', {});
  }

  undelete(): void {
    if (!this.isDeleted) throw PipelinesErrors.pipelineNotDeleted();
    this.state = { ...this.state, deletedAt: null };
    this.emit('pipeline.restored', {});
  }

  /** Adds a status at `position` (default: last), moving the following ones one place on. */
  addStatus(status: NewStatus, position?: number): void {
    this.assertLive();
    if (this.liveStatuses().length >= MAX_STATUSES) throw PipelinesErrors.tooManyStatuses(MAX_STATUSES);
    const added = this.insertStatus(status);
    if (position !== undefined && position < added.position) {
      const order = this.liveStatuses().filter((s) => s.id !== added.id);
      order.splice(position, 0, added);
      this.applyOrder(order.map((s) => s.id));
    }
    this.emit('pipeline.status_added', { status: payloadOf(this.status(added.id)!) });
  }

  changeStatus(statusId: string, changes: StatusChanges): void {
    this.assertLive();
    const status = this.liveStatus(statusId);
    const next: PipelineStatusState = { ...status };
    if (changes.name !== undefined) next.name = this.uniqueName(changes.name, statusId);
    if (changes.type !== undefined) next.type = changes.type;
    if (changes.color !== undefined) next.color = changes.color;
    if (changes.allowedNext !== undefined) next.allowedNext = this.validNext(changes.allowedNext, statusId);
    const changed: StatusChanges = {};
    for (const key of ['name', 'type', 'color', 'allowedNext'] as const) {
      if (changes[key] !== undefined && JSON.stringify(next[key]) !== JSON.stringify(status[key]))
        Object.assign(changed, { [key]: next[key] });
    }
    if (Object.keys(changed).length === 0) return;
    this.replaceStatus(next);
    this.emit('pipeline.status_changed', { statusId, changes: changed });
  }

  /** Puts the live statuses in the given order (every live status exactly once). */
  reorder(statusIds: readonly string[]): void {
    this.assertLive();
    const live = this.liveStatuses();
    const known = new Set(live.map((s) => s.id));
    if (statusIds.length !== live.length || new Set(statusIds).size !== live.length || statusIds.some((id) => !known.has(id)))
      throw PipelinesErrors.invalidOrder();
    if (live.every((s, i) => s.id === statusIds[i])) return;
    this.applyOrder(statusIds);
    this.emit('pipeline.statuses_reordered', { statusIds: [...statusIds] });
  }

  /** Soft-deletes an empty status (`contacts`: how many contacts are in it now) and drops it from every `allowedNext`. */
  removeStatus(statusId: string, contacts: number): void {
    this.assertLive();
    this.liveStatus(statusId);
    if (contacts > 0) throw PipelinesErrors.statusNotEmpty(contacts);
    const now = new Date();
    this.state = {
      ...this.state,
      statuses: this.state.statuses.map((s) => {
        if (s.id === statusId) return this.touch({ ...s, deletedAt: now });
        if (s.allowedNext?.includes(statusId)) return this.touch({ ...s, allowedNext: s.allowedNext.filter((id) => id !== statusId) });
        return s;
      }),
    };
    this.applyOrder(this.liveStatuses().map((s) => s.id));
    this.emit('pipeline.status_removed', { statusId });
  }

  /**
   * The move of a contact from `fromStatusId` (undefined: entering the pipeline) to `toStatusId`, checked against
   * the pipeline's state and the transitions of the status it leaves.
   */
  checkMove(fromStatusId: string | undefined, toStatusId: string): { from?: StatusRef; to: StatusRef } {
    if (this.isDeleted) throw PipelinesErrors.pipelineDeleted();
    const to = this.status(toStatusId);
    if (!to) throw PipelinesErrors.notFound('pipeline_status', toStatusId);
    if (to.deletedAt) throw PipelinesErrors.statusDeleted(toStatusId);
    if (fromStatusId === undefined) return { to: refOf(to) };
    const from = this.status(fromStatusId)!;
    if (from.id !== to.id && from.deletedAt === null && from.allowedNext !== null && !from.allowedNext.includes(to.id))
      throw PipelinesErrors.transitionNotAllowed(from.name, to.name);
    return { from: refOf(from), to: refOf(to) };
  }

  /** Saved: the touched status rows were written with it. */
  override commit() {
    this.touched.clear();
    return super.commit();
  }

  protected readonly aggregateType = 'pipeline';

  protected eventVersionOf(type: keyof PipelineEvents): number {
    return PIPELINES_EVENT_VERSIONS[type];
  }

  protected get scope() {
    return { tenantId: this.state.tenantId, projectId: this.state.projectId };
  }

  private assertLive(): void {
    if (this.isDeleted) throw PipelinesErrors.pipelineDeleted();
  }

  private status(id: string): PipelineStatusState | undefined {
    return this.state.statuses.find((s) => s.id === id);
  }

  private liveStatus(id: string): PipelineStatusState {
    const status = this.status(id);
    if (!status || status.deletedAt) throw PipelinesErrors.notFound('pipeline_status', id);
    return status;
  }

  private insertStatus(status: NewStatus): PipelineStatusState {
    const added: PipelineStatusState = {
      id: status.id,
      name: this.uniqueName(status.name),
      type: status.type,
      color: status.color ?? null,
      position: this.liveStatuses().length,
      allowedNext: null,
      deletedAt: null,
    };
    this.state = { ...this.state, statuses: [...this.state.statuses, this.touch(added)] };
    if (status.allowedNext !== undefined) this.replaceStatus({ ...added, allowedNext: this.validNext(status.allowedNext, added.id) });
    return this.status(added.id)!;
  }

  private replaceStatus(next: PipelineStatusState): void {
    this.state = { ...this.state, statuses: this.state.statuses.map((s) => (s.id === next.id ? this.touch(next) : s)) };
  }

  private applyOrder(statusIds: readonly string[]): void {
    const position = new Map(statusIds.map((id, i) => [id, i]));
    this.state = {
      ...this.state,
      statuses: this.state.statuses.map((s) => {
        const at = position.get(s.id);
        return at === undefined || at === s.position ? s : this.touch({ ...s, position: at });
      }),
    };
  }

  private touch(status: PipelineStatusState): PipelineStatusState {
    this.touched.add(status.id);
    return status;
  }

  /** The trimmed name, unless another live status of the pipeline has it (compared case-insensitively). */
  private uniqueName(name: string, ownId?: string): string {
    const trimmed = name.trim();
    if (!trimmed) throw PipelinesErrors.statusNameRequired();
    const clash = this.liveStatuses().some((s) => s.id !== ownId && s.name.toLowerCase() === trimmed.toLowerCase());
    if (clash) throw PipelinesErrors.duplicateStatusName(trimmed);
    return trimmed;
  }

  private validNext(allowedNext: readonly string[] | null, ownId: string): string[] | null {
    if (allowedNext === null) return null;
    const ids = [...new Set(allowedNext)].filter((id) => id !== ownId);
    const live = new Set(this.liveStatuses().map((s) => s.id));
    const unknown = ids.filter((id) => !live.has(id));
    if (unknown.length > 0) throw PipelinesErrors.unknownStatuses(unknown);
    return ids;
  }
}

function validFields<F extends Pick<PipelineState, 'name' | 'sessionTimeoutMinutes'>>(fields: F): F {
  const name = fields.name.trim();
  if (!name) throw PipelinesErrors.nameRequired();
  const timeout = fields.sessionTimeoutMinutes;
  if (timeout !== null && (!Number.isInteger(timeout) || timeout < 1 || timeout > MAX_TIMEOUT_MINUTES))
    throw PipelinesErrors.invalidTimeout();
  return { ...fields, name };
}

function definedOnly<T extends object>(changes: T): Partial<T> {
  return Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function payloadOf({ deletedAt: _d, ...status }: PipelineStatusState): PipelineStatusPayload {
  return status;
}

function refOf(status: PipelineStatusState): StatusRef {
  return { statusId: status.id, name: status.name };
}
