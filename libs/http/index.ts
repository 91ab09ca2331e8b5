export * from './problem-details.filter';
export * from './validation';
export * from './pagination';
export * from './preconditions';
export * from './transaction.interceptor';
export * from './idempotency.interceptor';
export * from './openapi';
export * from './expected-version.decorator';
