export * from './users.ts';
export * from './audit.ts';
export * from './email.ts';
export * from './jobs.ts';
export * from './neighbourhoods.ts';
export * from './grants.ts';
export * from './reviews.ts';
export * from './grant-life.ts';
