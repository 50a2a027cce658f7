import { z } from 'zod';
import { emailSettings, httpSettings, telegramSettings, webpushSettings, type ChannelType, type Medium } from '../../../contracts/messaging.js';
import type { FieldError } from '../../../lib/domain-error.js';
import { generateSecret } from '../../webhooks/index.js';
import { generateVapidKeys } from './adapters.js';

/** Which settings of each type are secret: stored in the encrypted box, never shown again. */
const SECRET_FIELDS: Record<ChannelType, string[]> = {
  email: ['password', 'dkim'],
  http: ['signingSecret'],
  telegram: ['botToken'],
  webpush: ['vapidPrivateKey'],
};

const SCHEMAS: Record<ChannelType, z.ZodType<Record<string, unknown>>> = {
  email: emailSettings,
  http: httpSettings,
  telegram: telegramSettings,
  webpush: webpushSettings,
};

export type SplitSettings = { medium: Medium; settings: Record<string, unknown>; secrets: Record<string, unknown>; generated: { signingSecret?: string; vapidPublicKey?: string } };

/**
 * Checks a channel's settings against its type and splits them into what may be shown and
 * what is sealed. `current` (on a change) supplies the secrets already stored: a PATCH that does
 * not repeat the password keeps it. Generated secrets (the gateway's signing secret, the VAPID
 * pair) are made once, at creation.
 */
export function splitSettings(type: ChannelType, given: Record<string, unknown>, current?: { settings: Record<string, unknown>; secrets: Record<string, unknown> }): { ok: true; value: SplitSettings } | { ok: false; errors: FieldError[] } {
  const generated: SplitSettings['generated'] = {};
  const extra: Record<string, unknown> = {};
  if (!current && type === 'http') extra.signingSecret = generated.signingSecret = generateSecret();
  if (!current && type === 'webpush') {
    const keys = generateVapidKeys();
    extra.vapidPrivateKey = keys.privateKey;
    extra.vapidPublicKey = generated.vapidPublicKey = keys.publicKey;
  }
  const merged = { ...(current?.settings ?? {}), ...(current?.secrets ?? {}), ...given };
  // Generated fields are not the caller's to set.
  const own = Object.fromEntries(Object.entries(merged).filter(([k]) => k !== 'signingSecret' && k !== 'vapidPrivateKey' && k !== 'vapidPublicKey'));
  const parsed = SCHEMAS[type].safeParse(own);
  if (!parsed.success) {
    return { ok: false, errors: parsed.error.issues.map((i) => ({ path: ['settings', ...i.path.map(String)].join('.'), message: i.code === 'unrecognized_keys' ? `unknown field(s): ${(i as { keys?: string[] }).keys?.join(', ')}` : i.message })) };
  }
  const all: Record<string, unknown> = { ...parsed.data, ...(current ? pick(merged, ['signingSecret', 'vapidPrivateKey', 'vapidPublicKey']) : {}), ...extra };
  const secrets = pick(all, SECRET_FIELDS[type]);
  const settings = Object.fromEntries(Object.entries(all).filter(([k]) => !SECRET_FIELDS[type].includes(k)));
  const medium: Medium = type === 'email' ? 'email' : type === 'webpush' ? 'push' : type === 'telegram' ? 'telegram' : (settings.medium as Medium);
  return { ok: true, value: { medium, settings, secrets, generated } };
}

function pick(o: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k]]));
}
