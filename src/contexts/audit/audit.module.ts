import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditTrailHandler } from './infrastructure/audit-trail.handler';
import { AuditController } from './http/audit.controller';
import { AuditLogEntity } from './infrastructure/audit-log.entity';

/** The database audit trail (written by triggers on every tenant table), read by admins. */
@Module({
  imports: [TypeOrmModule.forFeature([AuditLogEntity])],
  controllers: [AuditController],
  providers: [AuditTrailHandler],
})
export class AuditModule {}
