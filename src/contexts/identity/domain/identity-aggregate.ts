import { AggregateRoot } from '#kernel';
import { IDENTITY_EVENT_VERSIONS, IdentityEventPayloads, IdentityEventType } from '../identity.events';

/** An identity aggregate: it may raise only the events identity.events.ts publishes, with their payload types and versions. */
export abstract class IdentityAggregate extends AggregateRoot<IdentityEventPayloads> {
  protected raise<T extends IdentityEventType>(type: T, payload: IdentityEventPayloads[T]): void {
    this.emit(type, payload);
  }

  protected eventVersionOf(type: IdentityEventType): number {
    return IDENTITY_EVENT_VERSIONS[type];
  }
}
