import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  // Modules' tables, and the jobs' own bookkeeping (src/jobs/jobs.tables.ts).
  schema: ['./src/modules/*/*.tables.ts', './src/jobs/*.tables.ts'],
  out: './src/db/migrations',
});
