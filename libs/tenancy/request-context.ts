import { Injectable } from '@nestjs/common';
import { ClsService } from 'nestjs-cls';
import type { EntityManager } from 'typeorm';
import { DomainError } from '../kernel';
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

  get principal(): Principal {
    const principal = this.get('principal');
    if (!principal) throw new DomainError('unauthorized', 'auth.required', 'Authentication is required');
    return principal;
  }

  get tenantId(): string | undefined {
    return this.get('tenantId') ?? this.get('principal')?.tenantId;
  }
}
