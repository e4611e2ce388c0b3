export * from './identity.ts';
export * from './dates.ts';
export * from './errors.ts';
export * from './schemas.ts';
export * from './config.ts';
export * from './target.ts';
