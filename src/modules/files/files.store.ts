import { createHash } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import { newId } from '../../lib/ids.js';
import { files } from './files.tables.js';

export type StoredFile = { id: string; fileName: string; contentType: string; sizeBytes: number; sha256: string; createdAt: Date };

/**
 * Where uploaded files live. The default keeps them in the database (bytea) so a backup holds
 * them and any server node can serve them; an S3-compatible store can implement the same
 * calls (the metadata would stay in `files`, the bytes move out).
 */
export interface FileStore {
  put(tx: Tx, programId: string, file: { fileName: string; contentType: string; bytes: Buffer }): Promise<StoredFile>;
  read(tx: Tx, programId: string, id: string): Promise<(StoredFile & { bytes: Buffer }) | undefined>;
  /** What these files are, without their bytes (a claim's document list). */
  describe(tx: Tx, programId: string, ids: string[]): Promise<StoredFile[]>;
}

const meta = { id: files.id, fileName: files.fileName, contentType: files.contentType, sizeBytes: files.sizeBytes, sha256: files.sha256, createdAt: files.createdAt };

export function createDatabaseFileStore(): FileStore {
  return {
    async put(tx, programId, file) {
      const sha256 = createHash('sha256').update(file.bytes).digest('hex');
      const [row] = await tx
        .insert(files)
        .values({ id: newId('file'), programId, fileName: file.fileName, contentType: file.contentType, sizeBytes: file.bytes.length, sha256, content: file.bytes })
        .returning(meta);
      return row;
    },
    async read(tx, programId, id) {
      const [row] = await tx.select({ ...meta, bytes: files.content }).from(files).where(and(eq(files.programId, programId), eq(files.id, id)));
      return row;
    },
    async describe(tx, programId, ids) {
      if (!ids.length) return [];
      return tx.select(meta).from(files).where(and(eq(files.programId, programId), inArray(files.id, ids)));
    },
  };
}
