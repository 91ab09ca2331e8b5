import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ContactLifecycleConsumer } from './application/contact-lifecycle.consumer';
import { MoveContactHandler } from './application/contact-status.commands';
import { ContactHistoryHandler, ContactStatusHandler } from './application/contact-status.queries';
import { ChangePipelineHandler, CreatePipelineHandler } from './application/pipeline.commands';
import { GetPipelineHandler, ListPipelinesHandler, PipelineBoardHandler, StatusContactsHandler } from './application/pipeline.queries';
import { PIPELINE_READ_MODEL } from './application/pipelines.read-models';
import { PipelinesApiService } from './application/pipelines-api.service';
import { CONTACT_PIPELINE_REPOSITORY, PIPELINE_REPOSITORY } from './domain/pipelines.repositories';
import { ContactPipelinesController } from './http/contact-pipelines.controller';
import { PipelinesController } from './http/pipelines.controller';
import { PIPELINES_ENTITIES } from './infrastructure/pipeline.entities';
import { TypeormContactPipelineRepository } from './infrastructure/typeorm-contact-pipeline.repository';
import { TypeormPipelineRepository } from './infrastructure/typeorm-pipeline.repository';
import { TypeormPipelineReadModel } from './infrastructure/typeorm-pipelines.read-model';
import { PIPELINES_API } from './pipelines.api';

@Module({
  imports: [TypeOrmModule.forFeature(PIPELINES_ENTITIES)],
  controllers: [PipelinesController, ContactPipelinesController],
  providers: [
    { provide: PIPELINE_REPOSITORY, useClass: TypeormPipelineRepository },
    { provide: CONTACT_PIPELINE_REPOSITORY, useClass: TypeormContactPipelineRepository },
    { provide: PIPELINE_READ_MODEL, useClass: TypeormPipelineReadModel },
    { provide: PIPELINES_API, useClass: PipelinesApiService },
    CreatePipelineHandler,
    ChangePipelineHandler,
    MoveContactHandler,
    ListPipelinesHandler,
    GetPipelineHandler,
    PipelineBoardHandler,
    StatusContactsHandler,
    ContactStatusHandler,
    ContactHistoryHandler,
    ContactLifecycleConsumer,
  ],
  exports: [PIPELINES_API],
})
export class PipelinesModule {}
