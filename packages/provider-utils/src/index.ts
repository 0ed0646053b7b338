export { postJson } from './post-json.js';
export type { DebugLogger, PostJsonFailure, PostJsonRequest } from './post-json.js';
export { OptionIssues } from './option-issues.js';
export type { OptionIssue, OptionIssuesError } from './option-issues.js';
