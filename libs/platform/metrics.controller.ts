import { Controller, Get, Headers, Inject, NotFoundException, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { timingSafeEqual } from 'node:crypto';
import type { Response } from 'express';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { DomainError } from '../kernel';
import { Public } from '../tenancy/roles.guard';
import { Metrics } from './metrics';

/**
 * GET /metrics in the Prometheus text format, for the scraper rather than API clients (so not in the OpenAPI
 * document). With METRICS_TOKEN it needs `Authorization: Bearer <token>`; with METRICS_PORT and no token it is
 * served only on that port; in production with neither it is off (404).
 */
@ApiExcludeController()
@Public()
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: Metrics,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  async scrape(@Headers('authorization') authorization: string | undefined, @Res() res: Response): Promise<void> {
    const { enabled, token, port } = this.config.metrics;
    if (!enabled || (port !== undefined && !token)) throw new NotFoundException('Cannot GET /metrics');
    if (token && !sameSecret(/^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1] ?? '', token)) {
      throw new DomainError('unauthorized', 'auth.invalid_credential', 'GET /metrics needs Authorization: Bearer <METRICS_TOKEN>');
    }
    res.type(this.metrics.registry.contentType).send(await this.metrics.registry.metrics());
  }
}

export function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
