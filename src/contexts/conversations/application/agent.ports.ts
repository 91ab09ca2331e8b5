import type { AgentType } from '../conversations.events';
import type { AgentState } from '../domain/agent';

/** An agent as clients read it: its state without the tenancy keys, with its timestamps. */
export type AgentView = Omit<AgentState, 'tenantId' | 'projectId'> & { createdAt: Date; updatedAt: Date };

export interface AgentFilter {
  type?: AgentType;
  active?: boolean;
  /** The soft-deleted agents (to restore them) instead of the live ones. */
  deleted?: boolean;
}

export interface AgentReadModel {
  /** Agents oldest first (keyset on the time-ordered id); `after` is the last id of the previous page. */
  listAgents(projectId: string, filter: AgentFilter, take: number, after?: string): Promise<AgentView[]>;
  getAgent(projectId: string, id: string): Promise<AgentView | null>;
}

export const AGENT_READ_MODEL = Symbol('AgentReadModel');
