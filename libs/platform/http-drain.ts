import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

/**
 * Lets the HTTP server drain at shutdown: from the first shutdown hook on, every response says `Connection: close`,
 * so a keep-alive client busy sending requests lets go after the one in flight instead of keeping the server open
 * forever. Requests already received are still served in full.
 */
@Injectable()
export class HttpDrain implements OnModuleDestroy {
  private draining = false;

  onModuleDestroy(): void {
    this.draining = true;
    new Logger('Shutdown').log('shutting down: finishing requests in flight, stopping the relay, then closing the pools');
  }

  readonly middleware = (_req: Request, res: Response, next: NextFunction): void => {
    if (this.draining) res.setHeader('Connection', 'close');
    next();
  };
}
