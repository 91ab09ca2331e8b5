import { Injectable } from '@nestjs/common';
import { IsNull } from 'typeorm';
import { ExpectedVersion, newId } from '#kernel';
import { AggregateStore } from '#persistence/aggregate-store';
import { TransactionRunner } from '#persistence/transaction-runner';
import { ConversationsErrors } from '../conversations.errors';
import { Agent, SystemAgentName } from '../domain/agent';
import { AgentRepository, SessionAssignmentLog } from '../domain/conversations.repositories';
import { AgentEntity, AgentSessionEntity } from './conversation.entities';

@Injectable()
export class TypeormAgentRepository implements AgentRepository {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly store: AggregateStore,
  ) {}

  async findById(projectId: string, id: string, options: { withDeleted?: boolean } = {}): Promise<Agent | null> {
    return restore(await this.tx.manager.findOne(AgentEntity, { where: { id, projectId }, withDeleted: options.withDeleted }));
  }

  async findByUser(projectId: string, userId: string): Promise<Agent | null> {
    return restore(await this.tx.manager.findOne(AgentEntity, { where: { projectId, userId }, withDeleted: true }));
  }

  async findSystem(projectId: string, name: SystemAgentName): Promise<Agent | null> {
    return restore(await this.tx.manager.findOne(AgentEntity, { where: { projectId, name, type: 'system' }, withDeleted: true }));
  }

  async lockProvisioning(projectId: string, key: string): Promise<void> {
    await this.tx.manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`agents:${projectId}:${key}`]);
  }

  async save(agent: Agent, expected?: ExpectedVersion): Promise<void> {
    const { version: _v, ...row } = agent.snapshot;
    await this.store.save(agent, AgentEntity, row, 'agent', {
      expected,
      unique: { uq_agents_member: () => ConversationsErrors.agentUserTaken(row.userId ?? '') },
    });
  }
}

function restore(row: AgentEntity | null): Agent | null {
  if (!row) return null;
  const { createdAt: _c, updatedAt: _u, deletedAt, ...state } = row;
  return Agent.restore({ ...state, deletedAt: deletedAt ?? null });
}

@Injectable()
export class TypeormSessionAssignmentLog implements SessionAssignmentLog {
  constructor(private readonly tx: TransactionRunner) {}

  async reassign(input: { tenantId: string; projectId: string; sessionId: string; agentId: string; at: Date }): Promise<void> {
    const { at, ...assignment } = input;
    const m = this.tx.manager;
    await m.update(AgentSessionEntity, { sessionId: input.sessionId, unassignedAt: IsNull() }, { unassignedAt: at });
    await m.insert(AgentSessionEntity, { id: newId(), ...assignment, assignedAt: at, unassignedAt: null });
  }
}
