import type { Server } from 'node:http';
import { INestApplication, Provider, RequestMethod } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppConfig } from '#config/app-config';
import { addCommonHeaders, createValidationPipe } from '#http';
import { JsonLogger } from '#logging/json-logger';
import { PgTarget } from '#persistence/connection-options';
import { HttpDrain } from '#platform/http-drain';
import { PlatformOptions } from '#platform/platform.module';
import { securityHeaders } from '#platform/security-headers';
import { rejectNonJsonBodies } from '#platform/json-only';
import { requestDeadlines } from '#platform/request-deadline';
import { AppModule } from './app.module';

/** Builds the Nest application (used by main and by the tests): prefix, validation, OpenAPI, headers, CORS. */
export async function createApp(
  config: AppConfig,
  db: PgTarget,
  logger: JsonLogger,
  extraProviders: Provider[] = [],
  options: PlatformOptions = {},
): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, db, logger, extraProviders, options), {
    logger,
    bufferLogs: false,
    // The API speaks JSON only: no urlencoded parser; any other body type answers 415 (below).
    bodyParser: false,
    // req.rawBody: webhook signatures cover the bytes as sent (a reference to the parser's buffer, not a copy).
    rawBody: true,
  });
  app.set('trust proxy', 'loopback');
  // ETags are the aggregate versions the controllers set, not hashes of the body.
  app.set('etag', false);
  app.disable('x-powered-by');
  app.use(app.get(HttpDrain).middleware);
  app.use(securityHeaders());
  if (config.corsOrigins.length > 0) {
    app.enableCors({
      origin: config.corsOrigins.includes('*') ? '*' : [...config.corsOrigins],
      exposedHeaders: [
        'ETag',
        'Location',
        'Retry-After',
        'X-Request-Id',
        'X-RateLimit-Limit',
        'X-RateLimit-Remaining',
        'X-RateLimit-Reset',
      ],
      maxAge: 600,
    });
  }
  app.use(requestDeadlines(app.getHttpServer() as Server, config.httpRequestTimeoutMs));
  app.use(rejectNonJsonBodies);
  app.useBodyParser('json', { limit: '1mb', type: ['application/json', 'application/*+json'] });
  app.setGlobalPrefix('api/v1', {
    exclude: [
      { path: 'health', method: RequestMethod.GET },
      { path: 'health/ready', method: RequestMethod.GET },
      { path: 'metrics', method: RequestMethod.GET },
    ],
  });
  app.useGlobalPipes(createValidationPipe());
  // The one shutdown path: SIGTERM/SIGINT run Nest's lifecycle hooks in order, then exit 0.
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('CRM API')
      .setDescription(
        'Multi-tenant CRM. Authenticate with `Authorization: Bearer <api key>` or a user JWT plus `X-Project-Id`. ' +
          'Errors are RFC 9457 problem+json. Reads return ETag; PATCH/DELETE honour If-Match (412) and body version (409). ' +
          'POST honours Idempotency-Key. Lists use keyset pagination (limit, cursor -> nextCursor). ' +
          'Every /api/v1 response carries X-Request-Id (yours, or a generated one).',
      )
      .setVersion('1')
      // Paths are absolute from the server root, whatever host serves them.
      .addServer('/', 'This server')
      .addBearerAuth({
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'API key or JWT',
        description: 'An API key (`crm_...`, bound to one project) or a user JWT from POST /auth/login (with X-Project-Id)',
      })
      .build(),
  );
  // package.json says UNLICENSED: proprietary, no rights granted; the URL is npm's definition of that word.
  document.info.license = {
    name: 'UNLICENSED (proprietary)',
    url: 'https://docs.npmjs.com/cli/configuring-npm/package-json#license',
  };
  addCommonHeaders(document, '/api/v1/');
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  return app;
}
