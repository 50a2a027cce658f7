import { runCli } from './cli.js';
import { EXIT } from './cli-errors.js';

const code = await runCli(process.argv.slice(2));
// On success the process ends by itself once the database is closed (or, for `start`, keeps
// serving); after a failure something may still hold the event loop open, so exit outright.
if (code === EXIT.ok) process.exitCode = code;
else process.exit(code);
