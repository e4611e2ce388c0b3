export * from './stored-event.ts';
export * from './body.ts';
export * from './caliper.ts';
export * from './event-writer.ts';
