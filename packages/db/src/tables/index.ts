export * from './assemblies.ts';
export * from './benchmarks.ts';
export * from './enums.ts';
export * from './evaluation-requests.ts';
export * from './keys.ts';
export * from './models.ts';
export * from './runs.ts';
export * from './scores.ts';
