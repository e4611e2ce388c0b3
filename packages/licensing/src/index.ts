export * from './products.ts';
export * from './licences.ts';
export * from './followups.ts';
export * from './publisher-licences.ts';
export * from './targets.ts';
export * from './buyers.ts';
export * from './inherited-products.ts';
