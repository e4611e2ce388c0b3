export * from './boot/service.ts';
export * from './boot/app.ts';
export * from './context.ts';
export * from './auth/tokens.ts';
