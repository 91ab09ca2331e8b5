import { AuditLog1764000003000 } from '#migrations/1764000003000-audit-log';
import { AuditStatements1764000018000 } from '#migrations/1764000018000-audit-statements';
import type { BoundedContext } from '#platform/bounded-context';
import { AuditModule } from './audit.module';
import { AuditLogEntity } from './infrastructure/audit-log.entity';

export const AUDIT_CONTEXT: BoundedContext = {
  name: 'audit',
  module: AuditModule,
  entities: [AuditLogEntity],
  repositories: [],
  migrations: [AuditLog1764000003000, AuditStatements1764000018000],
};
