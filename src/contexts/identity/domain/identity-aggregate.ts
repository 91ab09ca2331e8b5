import { AggregateRoot } from '#kernel';
import type { IdentityEventPayloads, IdentityEventType } from '../identity.events';

/** An identity aggregate: it may raise only the events identity.events.ts publishes, with their payload types. */
export abstract class IdentityAggregate extends AggregateRoot {
  protected raise<T extends IdentityEventType>(type: T, payload: IdentityEventPayloads[T]): void {
    this.emit(type, payload);
  }
}
