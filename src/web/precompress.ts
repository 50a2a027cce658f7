import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

const brotli = promisify(brotliCompress);
const gz = promisify(gzip);

/** Text formats worth compressing; images and fonts are compressed already. */
const COMPRESSIBLE = /\.(js|mjs|css|html|svg|json|webmanifest|txt|xml)$/i;

export type Precompressed = { files: number; bytes: number; brotliBytes: number; gzipBytes: number };

async function* filesUnder(dir: string): AsyncGenerator<string> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* filesUnder(path);
    else if (COMPRESSIBLE.test(entry.name)) yield path;
  }
}

/**
 * Writes `<file>.br` (brotli, best quality) and `<file>.gz` (gzip -9) beside every text file of a
 * built folder, so the server sends them as they are (`@fastify/static` `preCompressed`) instead of
 * compressing on every request. A variant that would not be smaller is not written: the server then
 * falls back to the plain file.
 */
export async function precompressDir(dir: string): Promise<Precompressed> {
  const total: Precompressed = { files: 0, bytes: 0, brotliBytes: 0, gzipBytes: 0 };
  for await (const path of filesUnder(dir)) {
    const plain = await readFile(path);
    const [br, gzipped] = await Promise.all([
      brotli(plain, { params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: plain.length } }),
      gz(plain, { level: constants.Z_BEST_COMPRESSION }),
    ]);
    total.files++;
    total.bytes += plain.length;
    total.brotliBytes += Math.min(br.length, plain.length);
    total.gzipBytes += Math.min(gzipped.length, plain.length);
    if (br.length < plain.length) await writeFile(`${path}.br`, br);
    if (gzipped.length < plain.length) await writeFile(`${path}.gz`, gzipped);
  }
  return total;
}
