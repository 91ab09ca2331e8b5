import { DynamicModule, Global, Module } from '@nestjs/common';
import type { BoundedContext } from '#platform/bounded-context';

/**
 * The composition root's one piece of cross-context wiring: every context's module, imported once and re-exported
 * globally, so the ports each publishes in its `<name>.api.ts` (CONTACTS_API, CHANNELS_API, IDENTITY_API, ...) can
 * be injected by token anywhere without a context importing another's module (the boundary rule allows only the
 * api and events files). Built from the one list of contexts: a new context needs no edit here.
 */
@Global()
@Module({})
export class ContextApisModule {
  static forContexts(contexts: readonly BoundedContext[]): DynamicModule {
    const modules = contexts.flatMap((c) => (c.module ? [c.module] : []));
    return { module: ContextApisModule, imports: modules, exports: modules };
  }
}
