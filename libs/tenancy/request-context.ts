import { Injectable } from '@nestjs/common';
import { ClsService } from 'nestjs-cls';
import type { EntityManager } from 'typeorm';
import { DomainError, EventMetadata } from '../kernel';
import { Principal } from './principal';

/** Keys of the per-request (or per-delivery) continuation-local store. */
export interface ContextStore {
  requestId?: string;
  principal?: Principal;
  /** The signed-in user, also on routes that need no project. */
  userId?: string;
  /** Set for a principal's request, or by a consumer delivering an event of that tenant. */
  tenantId?: string;
  transaction?: EntityManager;
  /** Work to do once the transaction in progress has committed. */
  afterCommit?: (() => void)[];
  /** The event being handled (set by `causedBy`): events written meanwhile record it as their cause. */
  causation?: Causation;
}

/** The event a consumer acts on, as the events it causes record it. */
export interface Causation {
  readonly eventId: string;
  readonly correlationId: string;
  /** The depth the caused events get: the cause's own depth plus one. */
  readonly depth: number;
}

/** Read access to who is calling and for which tenant, wherever the code runs (HTTP, consumer, job). */
@Injectable()
export class RequestContext {
  constructor(private readonly cls: ClsService) {}

  get<K extends keyof ContextStore>(key: K): ContextStore[K] {
    return this.cls.isActive() ? (this.cls.get(key) as ContextStore[K]) : undefined;
  }

  set<K extends keyof ContextStore>(key: K, value: ContextStore[K]): void {
    this.cls.set(key, value);
  }

  /** Runs `fn` in a fresh context: consumers and jobs start here. */
  run<T>(fn: () => Promise<T>): Promise<T> {
    return this.cls.run(fn);
  }

  /**
   * Runs `fn` as the handling of `cause`: the events written meanwhile carry its id as their causation, its
   * correlation, and a causation depth one more than its own (so a chain of reactions can be bounded).
   */
  async causedBy<T>(cause: { eventId: string; metadata: EventMetadata }, fn: () => Promise<T>): Promise<T> {
    const previous = this.get('causation');
    this.set('causation', {
      eventId: cause.eventId,
      correlationId: cause.metadata.correlationId ?? cause.eventId,
      depth: (cause.metadata.causationDepth ?? 0) + 1,
    });
    try {
      return await fn();
    } finally {
      this.set('causation', previous);
    }
  }

  /** The metadata of an event written now: the request's correlation and actor, or those of the cause handled. */
  eventMetadata(): EventMetadata {
    const causation = this.get('causation');
    return {
      correlationId: causation?.correlationId ?? this.get('requestId'),
      causationId: causation?.eventId,
      causationDepth: causation?.depth,
      actorId: this.get('userId'),
    };
  }

  get principal(): Principal {
    const principal = this.get('principal');
    if (!principal) throw new DomainError('unauthorized', 'auth.required', 'Authentication is required');
    return principal;
  }

  get tenantId(): string | undefined {
    return this.get('tenantId') ?? this.get('principal')?.tenantId;
  }
}
