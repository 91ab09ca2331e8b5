import { Controller, Get, Inject, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { ApiProblem, ApiProblems } from '../http/openapi';
import { OutboxRelay } from '../outbox/outbox-relay';
import { Public } from '../tenancy/roles.guard';
import { LivenessResponse, ReadinessResponse } from './health.responses';

@ApiTags('health')
@ApiProblems(429)
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly relay: OutboxRelay,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Liveness: the process answers' })
  @ApiOkResponse({ type: LivenessResponse, description: 'Alive' })
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOperation({ summary: 'Readiness: the database answers and, where this process runs it, the relay listens' })
  @ApiOkResponse({ type: ReadinessResponse, description: 'Ready' })
  @ApiProblem(
    503,
    'Not ready: the database does not answer, or the relay this process runs does not listen; `checks` says which (`up`/`down`)',
  )
  async ready() {
    // Bounded: a server that does not answer must not hold the probe until the pool's connect timeout.
    const database = await Promise.race([
      this.dataSource.query('SELECT 1').then(
        () => 'up',
        () => 'down',
      ),
      new Promise<string>((resolve) => setTimeout(() => resolve('down'), 2000).unref()),
    ]);
    const relay = this.relay.status();
    const relayExpected = this.config.role !== 'api';
    const relayState = !relayExpected ? 'not-run' : relay.running && relay.listening ? 'up' : 'down';
    const body = {
      status: database === 'up' && relayState !== 'down' ? 'ok' : 'unavailable',
      database,
      relay: relayState,
      consumers: relay.consumers,
    };
    if (body.status !== 'ok') {
      const down = [database === 'down' && 'database', relayState === 'down' && 'relay'].filter(Boolean).join(' and ');
      throw new ServiceUnavailableException({
        message: `Not ready: ${down} down`,
        code: 'not_ready',
        checks: { database, relay: relayState },
      });
    }
    return body;
  }
}
