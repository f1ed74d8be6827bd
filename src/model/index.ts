export * from './common.js';
export { REPORT_SCHEMA_VERSION, reaches } from './severity.js';
export * from './image-facts.js';
export * from './machine-type-facts.js';
export * from './selection-facts.js';
export * from './target.js';
export * from './finding.js';
export * from './report.js';
