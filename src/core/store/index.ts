export type { DataDirInput } from './data-dir';
export { DATA_FOLDER_NAME, defaultDataDir, ensureDataDir, resolveDataDir } from './data-dir';
export type { JsonDocumentOptions, Migration } from './json-document';
export { JsonDocument } from './json-document';
