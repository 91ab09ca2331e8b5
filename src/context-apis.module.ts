import { Global, Module } from '@nestjs/common';
import { ChannelsModule } from './contexts/channels/channels.module';
import { ContactsModule } from './contexts/contacts/contacts.module';
import { IdentityModule } from './contexts/identity/identity.module';

/**
 * The composition root's one piece of cross-context wiring: the ports a context publishes in its `<name>.api.ts`
 * (CONTACTS_API, CHANNELS_API, IDENTITY_API) made injectable everywhere, so a context injects another's port by
 * its token without importing that context's module (the boundary rule allows only its api and events files).
 */
@Global()
@Module({
  imports: [ContactsModule, ChannelsModule, IdentityModule],
  exports: [ContactsModule, ChannelsModule, IdentityModule],
})
export class ContextApisModule {}
