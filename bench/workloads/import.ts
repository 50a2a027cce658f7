import { importMapping } from '../../src/contracts/imports.js';
import { readOnly } from '../../src/modules/imports/index.js';
import { SCALE, seconds, type Workload } from '../lib.js';

/**
 * A generated ERP export of invoices (semicolons, decimal commas, DD.MM.YYYY, one row per line,
 * two lines per invoice) through the whole file import (`fealty import events`: reading, mapping,
 * validation, the events batch path, checkpoints) vs reading, mapping and validating the same
 * file without writing, in the same process.
 */
export const importWorkload: Workload = {
  name: 'import',
  async run({ s, ctx, accounts }) {
    const N = Math.round(20_000 * SCALE);
    const lines = ['Номер;Дата;Клиент;Артикул;Количество;Сумма'];
    for (let i = 0; i < N; i++) {
      const inv = Math.floor(i / 2);
      const day = 1 + (inv % 28);
      lines.push(`IMP-${inv};${String(day).padStart(2, '0')}.10.2026;C-${inv % accounts};SKU-${i % 50};${1 + (i % 4)};${1 + ((i * 7919) % 2000)} ${String(i % 1000).padStart(3, '0')},${String(i % 100).padStart(2, '0')}`);
    }
    const content = Buffer.from(lines.join('\r\n') + '\r\n');
    const mapping = importMapping.parse({
      fields: {
        id: 'Номер',
        type: { value: 'purchase' },
        occurredAt: { column: 'Дата', format: 'DD.MM.YYYY' },
        accountId: { column: 'Клиент', prefix: 'ext:' },
        'lines.sku': 'Артикул',
        'lines.qty': 'Количество',
        'lines.amount': { column: 'Сумма', scale: 2 },
        currency: { value: 'EUR' },
      },
    });

    let t0 = performance.now();
    const read = await readOnly('events', content, mapping, 'UTC');
    const referenceRate = read.rows / seconds(t0);
    if (read.records !== N / 2) throw new Error(`bench import: ${read.records} events read of ${N / 2}`);

    t0 = performance.now();
    const { view } = await s.imports.runFile(ctx, { kind: 'events', fileName: 'bench.csv', content, mapping, dryRun: false, owner: 'bench' }, { mayTakeOver: () => false });
    const subjectRate = N / seconds(t0);
    if (view.progress.processed !== N) throw new Error(`bench import: ${JSON.stringify(view.progress)}`);
    return {
      rows: [{ workload: `file import (${N} rows, ${N / 2} events)`, subject: 'fealty import events', subjectRate, reference: 'read, map and validate only', referenceRate, unit: 'rows/s' }],
      detail: { import: { rows: N, events: N / 2, bytes: content.length } },
    };
  },
};
