/**
 * The files uploaded from this tab, by import id. An import runs once (the server answers
 * IMPORT_ALREADY_RUN after that), so importing for real after a dry run means uploading the same
 * file again: kept here, the console can do it without asking for the file a second time.
 * Memory only: a reload forgets them, and the screen then asks to upload the file again.
 */
const files = new Map<string, File>();

export const rememberFile = (importId: string, file: File) => void files.set(importId, file);
export const rememberedFile = (importId: string): File | undefined => files.get(importId);
