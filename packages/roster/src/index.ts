export * from './ss12000-schemas.ts';
export * from './memberships.ts';
export * from './import-ss12000.ts';
export * from './org-closure.ts';
export * from './duty-assignments.ts';
export * from './ss12000-page.ts';
export * from './references.ts';
export * from './lists.ts';
