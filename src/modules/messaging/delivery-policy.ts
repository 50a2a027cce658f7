import type { Category, QuietHours } from '../../contracts/messaging.js';
import type { Recipient } from './messaging.reads.js';
import type { PreferencesRow } from './messaging.repo.js';

/** Why a message was not sent: recorded on the message and counted by the campaign preview. */
export type SuppressReason = 'member_inactive' | 'opted_out' | 'no_consent' | 'no_channel' | 'no_address' | 'capped' | 'trigger_off' | 'template_error' | 'expired';

export type Decision = { send: true; address: string } | { send: false; reason: SuppressReason };

/**
 * Whether a message may go to this member on this medium, and to which address: the one rule the
 * delivery worker and the campaign preview both apply (quiet hours and the cap depend on the clock
 * and are checked beside it). Marketing needs consent: the member's preference when they set one,
 * otherwise the `marketing` consent recorded on the member.
 */
export function decide(r: Recipient, prefs: PreferencesRow | undefined, medium: string, category: Category, channelAvailable: boolean): Decision {
  if (r.status !== 'active') return { send: false, reason: 'member_inactive' };
  if (prefs?.channels?.[medium] === false) return { send: false, reason: 'opted_out' };
  if (category === 'marketing' && !(prefs?.categories?.marketing ?? r.consent.marketing ?? false)) return { send: false, reason: 'no_consent' };
  if (medium === 'inbox') return { send: true, address: r.id };
  if (!channelAvailable) return { send: false, reason: 'no_channel' };
  const address = addressOf(r, prefs, medium);
  return address ? { send: true, address } : { send: false, reason: 'no_address' };
}

function addressOf(r: Recipient, prefs: PreferencesRow | undefined, medium: string): string | null {
  switch (medium) {
    case 'email':
      return r.email;
    case 'sms':
    case 'whatsapp':
      return r.phone;
    case 'telegram': {
      const chat = prefs?.addresses?.telegramChatId;
      return typeof chat === 'string' && chat ? chat : null;
    }
    case 'push': {
      const sub = prefs?.addresses?.pushSubscription;
      return sub ? JSON.stringify(sub) : null;
    }
    default:
      return null;
  }
}

/** The member's quiet hours, else the program's; the member's time zone, else the program's messaging one, else the program's. */
export function quietOf(prefs: PreferencesRow | undefined, programQuiet: QuietHours | null | undefined): QuietHours | null {
  return prefs?.quietHours ?? programQuiet ?? null;
}
