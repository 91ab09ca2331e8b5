import { Injectable } from '@nestjs/common';
import { LessThan } from 'typeorm';
import { TransactionRunner } from '#persistence/transaction-runner';
import { SessionFilter, SessionReadModel, SessionView } from '../application/session.ports';
import { SessionEntity } from './conversation.entities';

const seconds = (from: Date, to: Date) => Math.round((to.getTime() - from.getTime()) / 1000);

const sessionView = (r: SessionEntity): SessionView => ({
  id: r.id,
  contactId: r.contactId,
  channelId: r.channelId,
  chatId: r.chatId,
  status: r.status,
  startedAt: r.startedAt,
  lastMessageAt: r.lastMessageAt,
  endedAt: r.endedAt,
  endReason: r.endReason,
  inboundCount: r.inboundCount,
  outboundCount: r.outboundCount,
  firstResponseAt: r.firstResponseAt,
  firstResponseSeconds: r.firstResponseAt ? seconds(r.startedAt, r.firstResponseAt) : null,
  durationSeconds: seconds(r.startedAt, r.endedAt ?? r.lastMessageAt),
  timeoutMinutes: r.timeoutMinutes,
  agentId: r.agentId,
  version: r.version,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
});

@Injectable()
export class TypeormSessionReadModel implements SessionReadModel {
  constructor(private readonly tx: TransactionRunner) {}

  async listSessions(projectId: string, filter: SessionFilter, take: number, before?: string): Promise<SessionView[]> {
    const rows = await this.tx.manager.find(SessionEntity, {
      where: {
        projectId,
        ...(filter.contactId ? { contactId: filter.contactId } : {}),
        ...(filter.chatId ? { chatId: filter.chatId } : {}),
        ...(filter.status ? { status: filter.status } : {}),
        ...(before ? { id: LessThan(before) } : {}),
      },
      order: { id: 'DESC' },
      take,
    });
    return rows.map(sessionView);
  }

  async getSession(projectId: string, id: string): Promise<SessionView | null> {
    const row = await this.tx.manager.findOne(SessionEntity, { where: { id, projectId } });
    return row ? sessionView(row) : null;
  }
}
