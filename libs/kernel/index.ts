export * from './ids';
export * from './domain-error';
export * from './domain-event';
export * from './aggregate-root';
export * from './expected-version';
export * from './secret-box';
