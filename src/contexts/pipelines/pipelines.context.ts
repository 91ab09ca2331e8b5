import { Pipelines1764000013000 } from '#migrations/1764000013000-pipelines';
import type { BoundedContext } from '#platform/bounded-context';
import { ContactPipelineEntity, PIPELINES_ENTITIES, PipelineEntity } from './infrastructure/pipeline.entities';
import { TypeormContactPipelineRepository } from './infrastructure/typeorm-contact-pipeline.repository';
import { TypeormPipelineRepository } from './infrastructure/typeorm-pipeline.repository';
import { PipelinesModule } from './pipelines.module';

export const PIPELINES_CONTEXT: BoundedContext = {
  name: 'pipelines',
  module: PipelinesModule,
  entities: PIPELINES_ENTITIES,
  repositories: [
    { entity: PipelineEntity, adapter: TypeormPipelineRepository },
    { entity: ContactPipelineEntity, adapter: TypeormContactPipelineRepository },
  ],
  migrations: [Pipelines1764000013000],
};
