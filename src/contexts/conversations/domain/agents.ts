/** Who works a conversation: a member (human), an AI, a bot, or one of the project's system agents. */
export type AgentType = 'human' | 'ai' | 'bot' | 'system';

/** The system agents every project has (not editable): automations act as `System`, API-key callers as `API`. */
export const SYSTEM_AGENT_NAMES = ['System', 'API'] as const;

export interface NewAgent {
  id: string;
  tenantId: string;
  projectId: string;
  type: AgentType;
  name: string;
  userId: string | null;
}

export interface AgentDirectory {
  /** Creates the agent unless the project already has it (a member's by user, a system agent by name): idempotent. */
  ensure(agent: NewAgent): Promise<void>;
}

export const AGENT_DIRECTORY = Symbol('AgentDirectory');
