import type { Config } from './config.js';
import type { Services } from './services.js';

/**
 * On a first start (no program yet): create the first program, with FEALTY_BOOTSTRAP_KEY
 * as its API key when given (a random one otherwise), and print how to use it.
 */
export async function firstStart(services: Services, config: Pick<Config, 'bootstrapKey' | 'demo'>): Promise<void> {
  const { program, apiKey } = await services.programs.createProgram({ name: config.demo === 'on' ? 'Demo program' : 'My program', apiKey: config.bootstrapKey });
  const lines = [
    '',
    '  First start: created program ' + program.id + ` ("${program.name}")`,
    config.bootstrapKey ? '  API key: the one in FEALTY_BOOTSTRAP_KEY' : `  API key (shown once, keep it): ${apiKey}`,
    '  Try: curl -H "Authorization: Bearer <key>" http://localhost:3000/api/v1/program',
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
}
