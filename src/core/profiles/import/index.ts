// Importing existing setups: credential_process lines of ~/.aws/config that run aws_signing_helper
// (or Rolecall's drop-in mode) become Rolecall profiles.
export { prepareImport, PreparedImport } from './prepare';
export type { ImportLine, ImportOptions, ImportProfileInput } from './prepare';
export { applyImport } from './apply';
export type { ImportDeps, ImportSelection } from './apply';
export { splitCommandLine } from './split-command-line';
export { readSigningHelperCommand } from './signing-helper-command';
export type { DropInFlags, ImportTool, SigningHelperCommand } from './signing-helper-command';
export { unifiedDiff } from './unified-diff';
export type { DiffOptions } from './unified-diff';
