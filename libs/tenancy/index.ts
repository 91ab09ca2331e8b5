export * from './principal';
export * from './request-context';
export * from './roles.guard';
export * from './credential-resolver';
export * from './auth.guard';
