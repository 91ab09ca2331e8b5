import type { SessionState, SessionStatus } from '../domain/session';

/** A session as clients read it: its state without the tenancy keys, with its derived durations and timestamps. */
export type SessionView = Omit<SessionState, 'tenantId' | 'projectId'> & {
  /** From the start to the first response; null without one. */
  firstResponseSeconds: number | null;
  /** From the start to the end, or to the last message while it is active. */
  durationSeconds: number;
  createdAt: Date;
  updatedAt: Date;
};

export interface SessionFilter {
  contactId?: string;
  chatId?: string;
  status?: SessionStatus;
}

export interface SessionReadModel {
  /** Sessions newest first (keyset on the time-ordered id); `before` is the last id of the previous page. */
  listSessions(projectId: string, filter: SessionFilter, take: number, before?: string): Promise<SessionView[]>;
  getSession(projectId: string, id: string): Promise<SessionView | null>;
}

export const SESSION_READ_MODEL = Symbol('SessionReadModel');
