export { createDatabaseFileStore, type FileStore, type StoredFile } from './files.store.js';
export { sniffContentType, type SniffedType } from './files.sniff.js';
