export * from './benchmarks.ts';
export * from './evaluations.ts';
export * from './imports.ts';
export * from './keys.ts';
export * from './models.ts';
export * from './runs.ts';
export * from './scores.ts';
export * from './status.ts';
