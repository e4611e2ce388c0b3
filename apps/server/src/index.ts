export * from './service.ts';
export * from './app.ts';
export * from './context.ts';
export * from './tokens.ts';
