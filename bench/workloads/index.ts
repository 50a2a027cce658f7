import type { Workload } from '../lib.js';
import { apiWorkload } from './api.js';
import { clusterWorkload } from './cluster.js';
import { expiryWorkload } from './expiry.js';
import { importWorkload } from './import.js';
import { eventsWorkload } from './events.js';
import { checkoutWorkload, walletsWorkload } from './http.js';
import { ledgerWorkload } from './ledger.js';
import { messagingWorkload } from './messaging.js';
import { tiersWorkload } from './tiers.js';

/**
 * Every workload, in run order. A new one is a `Workload` ({ name, run }) added here; its name is
 * what `BENCH_ONLY` selects. The large generated data sets (tiers, expiry) come last, so that
 * they do not slow down the others' queries.
 */
export const WORKLOADS: Workload[] = [ledgerWorkload, eventsWorkload, importWorkload, checkoutWorkload, walletsWorkload, clusterWorkload, apiWorkload, messagingWorkload, tiersWorkload, expiryWorkload];
