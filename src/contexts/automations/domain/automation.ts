import { AggregateRoot } from '#kernel';
import { AUTOMATIONS_EVENT_VERSIONS, AutomationDefinition, AutomationEvents } from '../automations.events';
import { AutomationsErrors } from '../automations.errors';
import { normalizeDefinition } from './definition-validation';

export interface AutomationState extends AutomationDefinition {
  id: string;
  tenantId: string;
  projectId: string;
  version: number;
  deletedAt: Date | null;
}

/** What a client sends; the definition parts are checked against the catalog. */
export type AutomationInput = Omit<AutomationDefinition, 'trigger' | 'conditions' | 'actions' | 'description' | 'priority'> & {
  description?: string | null;
  priority?: number;
  trigger: unknown;
  conditions?: unknown;
  actions: unknown;
};

const DEFINITION_KEYS = ['name', 'description', 'enabled', 'priority', 'trigger', 'conditions', 'actions'] as const;

/** A rule of a project: when its trigger happens and its conditions hold, it runs its actions. */
export class Automation extends AggregateRoot<AutomationEvents> {
  private constructor(private state: AutomationState) {
    super(state.id, state.version);
  }

  static create(ids: Pick<AutomationState, 'id' | 'tenantId' | 'projectId'>, input: AutomationInput): Automation {
    const automation = new Automation({ ...ids, ...definitionOf(input), version: 0, deletedAt: null });
    automation.emit('automation.created', automation.definition);
    return automation;
  }

  static restore(state: AutomationState): Automation {
    return new Automation(state);
  }

  get snapshot(): Readonly<AutomationState> {
    return { ...this.state, version: this.version };
  }

  get definition(): AutomationDefinition {
    const { id: _i, tenantId: _t, projectId: _p, version: _v, deletedAt: _d, ...definition } = this.state;
    return definition;
  }

  get isDeleted(): boolean {
    return this.state.deletedAt !== null;
  }

  /** Whether it waits for a schedule timer (enabled, live, scheduled). */
  get isScheduled(): boolean {
    return this.state.enabled && !this.isDeleted && 'schedule' in this.state.trigger;
  }

  /** Changes the given parts; the trigger, conditions and actions are validated together as they will be. */
  update(input: Partial<AutomationInput>): void {
    if (this.isDeleted) throw AutomationsErrors.deleted();
    const before = this.definition;
    const next = definitionOf({
      ...before,
      ...Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)),
    } as AutomationInput);
    const changes: Partial<AutomationDefinition> = {};
    for (const key of DEFINITION_KEYS)
      if (JSON.stringify(next[key]) !== JSON.stringify(before[key])) (changes as Record<string, unknown>)[key] = next[key];
    if (Object.keys(changes).length === 0) return;
    this.state = { ...this.state, ...next };
    this.emit('automation.updated', { changes });
  }

  delete(): void {
    if (this.isDeleted) throw AutomationsErrors.alreadyDeleted();
    const event = this.emit('automation.deleted', {});
    this.state = { ...this.state, deletedAt: event.occurredAt };
  }

  undelete(): void {
    if (!this.isDeleted) throw AutomationsErrors.notDeleted();
    this.state = { ...this.state, deletedAt: null };
    this.emit('automation.restored', {});
  }

  protected readonly aggregateType = 'automation';

  protected eventVersionOf(type: keyof AutomationEvents): number {
    return AUTOMATIONS_EVENT_VERSIONS[type];
  }

  protected get scope() {
    return { tenantId: this.state.tenantId, projectId: this.state.projectId };
  }
}

function definitionOf(input: AutomationInput): AutomationDefinition {
  return {
    name: input.name.trim(),
    description: input.description?.trim() || null,
    enabled: input.enabled,
    priority: input.priority ?? 0,
    ...normalizeDefinition(input),
  };
}
