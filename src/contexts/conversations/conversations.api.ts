/*
 * What other contexts may call synchronously in the conversations context (everything else they learn from
 * conversations.events.ts). Calls join the caller's transaction when there is one (else open one), act in the
 * tenant of the caller's context under RLS, raise the same events as the HTTP API, and name their project.
 */

export interface ConversationsApi {
  /**
   * Queues an outbound text message to the contact (status pending; sent by the outbound consumer). channelId
   * defaults to the channel of the contact's most recently active chat; agentId defaults to the project's System
   * agent. Throws a problem error (4xx code) when the contact has no chat/channel.
   */
  sendMessage(input: {
    projectId: string;
    contactId: string;
    channelId?: string;
    text: string;
    agentId?: string;
  }): Promise<{ messageId: string }>;
  /** Assigns the contact's active session (if any) to the agent; undefined when the contact has no active session. */
  assignActiveSession(input: { projectId: string; contactId: string; agentId: string }): Promise<{ sessionId: string } | undefined>;
}

/** Nest token of the ConversationsApi provider, exported by ConversationsModule. */
export const CONVERSATIONS_API = Symbol('ConversationsApi');
