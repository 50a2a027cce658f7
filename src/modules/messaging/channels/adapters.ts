import type { Agent } from 'node:https';
import nodemailer from 'nodemailer';
import webpush from 'web-push';
import { httpSender, signatureHeaders, type Sender } from '../../webhooks/index.js';

/** One message ready to leave: rendered, addressed, with its headers (e-mail) and who it is for. */
export type Outgoing = {
  id: string;
  to: string;
  subject: string | null;
  text: string;
  html: string | null;
  headers: Record<string, string>;
  medium: string;
  memberId: string;
};

/**
 * What a channel answered. `permanent`: retrying cannot help (a 4xx, a mailbox that does not
 * exist, a push subscription that is gone): the message fails at once. Otherwise it is retried.
 */
export type SendOutcome = { ok: true; detail?: string } | { ok: false; permanent: boolean; error: string; gone?: boolean };

/** Every channel behind one interface: the delivery worker knows nothing of SMTP, HTTP or push. */
export type ChannelAdapter = { send(m: Outgoing): Promise<SendOutcome>; close(): Promise<void> };

export type EmailConfig = {
  host: string;
  port: number;
  secure: boolean;
  user?: string;
  password?: string;
  from: string;
  replyTo?: string;
  dkim?: { domainName: string; keySelector: string; privateKey: string };
  maxConnections: number;
};

const short = (s: string) => (s.length > 500 ? `${s.slice(0, 499)}…` : s);

/** SMTP through a nodemailer pool (a few connections kept open, reused for every message). */
export function emailAdapter(c: EmailConfig): ChannelAdapter {
  const transport = nodemailer.createTransport({
    pool: true,
    maxConnections: c.maxConnections,
    host: c.host,
    port: c.port,
    secure: c.secure,
    ...(c.user ? { auth: { user: c.user, pass: c.password ?? '' } } : {}),
    ...(c.dkim ? { dkim: c.dkim } : {}),
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  });
  return {
    async send(m) {
      try {
        const info = await transport.sendMail({
          from: c.from,
          to: m.to,
          ...(c.replyTo ? { replyTo: c.replyTo } : {}),
          subject: m.subject ?? '',
          text: m.text,
          ...(m.html ? { html: m.html } : {}),
          headers: m.headers,
          messageId: `<${m.id}@fealty>`,
        });
        return { ok: true, detail: short(String(info.response ?? '')) };
      } catch (err) {
        const e = err as { responseCode?: number; message?: string };
        // SMTP 5xx is a permanent refusal (no such mailbox, policy); 4xx and network trouble are worth a retry.
        const permanent = typeof e.responseCode === 'number' && e.responseCode >= 500;
        return { ok: false, permanent, error: short(e.message ?? String(err)) };
      }
    },
    async close() {
      transport.close();
    },
  };
}

/** 4xx is permanent, but for the two that ask to come back later. */
const permanentHttp = (status: number | null) => status !== null && status >= 400 && status < 500 && status !== 408 && status !== 429;

/**
 * The HTTP gateway: a POST of `{id, channel, to, memberId, subject, text}` signed per Standard
 * Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`) with the channel's secret,
 * so any SMS or messenger bridge can check it came from the program.
 */
export function httpGatewayAdapter(c: { url: string; secret: string; now: () => Date; send?: Sender; allowPrivateTargets?: boolean }): ChannelAdapter {
  // The same guard as webhooks: a gateway on a private, loopback or link-local address only when the operator allows it.
  const send = c.send ?? httpSender(10_000, { allowPrivate: c.allowPrivateTargets });
  return {
    async send(m) {
      const body = JSON.stringify({ id: m.id, channel: m.medium, to: m.to, memberId: m.memberId, subject: m.subject, text: m.text });
      const r = await send(c.url, signatureHeaders([c.secret], m.id, Math.floor(c.now().getTime() / 1000), body), body);
      if (r.statusCode !== null && r.statusCode >= 200 && r.statusCode < 300) return { ok: true, detail: `HTTP ${r.statusCode}` };
      return { ok: false, permanent: permanentHttp(r.statusCode), error: r.error ?? `HTTP ${r.statusCode}` };
    },
    async close() {},
  };
}

/** Telegram's Bot API `sendMessage`; `baseUrl` lets a local server play Telegram. */
export function telegramAdapter(c: { botToken: string; baseUrl: string }): ChannelAdapter {
  return {
    async send(m) {
      try {
        const res = await fetch(`${c.baseUrl.replace(/\/$/, '')}/bot${c.botToken}/sendMessage`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ chat_id: m.to, text: m.subject ? `${m.subject}\n\n${m.text}` : m.text, disable_web_page_preview: true }),
          signal: AbortSignal.timeout(10_000),
        });
        const answer = (await res.json().catch(() => ({}))) as { ok?: boolean; description?: string };
        if (res.ok && answer.ok) return { ok: true, detail: `HTTP ${res.status}` };
        return { ok: false, permanent: permanentHttp(res.status), error: short(`HTTP ${res.status}: ${answer.description ?? ''}`) };
      } catch (err) {
        return { ok: false, permanent: false, error: short(err instanceof Error ? err.message : String(err)) };
      }
    },
    async close() {},
  };
}

/** How long a push service keeps a message for a device that is offline: a day, then it is stale. */
export const PUSH_TTL_SECONDS = 24 * 3600;

/**
 * Web Push (RFC 8030, payload encrypted per RFC 8291) with the program's VAPID keys; `to` is the
 * subscription's JSON. The payload `{id, title, body, url}` is what the portal's service worker
 * shows. A 404 or 410 means the browser dropped the subscription: `gone`, and the worker removes it.
 * `agent`: the HTTPS agent to the push service (tests trust a local one's certificate with it).
 */
export function webpushAdapter(c: { subject: string; publicKey: string; privateKey: string; agent?: Agent; openUrl?: string }): ChannelAdapter {
  return {
    async send(m) {
      try {
        const subscription = JSON.parse(m.to) as webpush.PushSubscription;
        const payload = JSON.stringify({ id: m.id, title: m.subject ?? '', body: m.text, url: c.openUrl ?? '/portal/inbox' });
        const r = await webpush.sendNotification(subscription, payload, {
          vapidDetails: { subject: c.subject, publicKey: c.publicKey, privateKey: c.privateKey },
          TTL: PUSH_TTL_SECONDS,
          urgency: 'normal',
          timeout: 10_000,
          ...(c.agent ? { agent: c.agent } : {}),
        });
        return { ok: true, detail: `HTTP ${r.statusCode}` };
      } catch (err) {
        const e = err as { statusCode?: number; message?: string };
        // 404/410: the subscription is gone; the member has to subscribe again.
        const gone = e.statusCode === 404 || e.statusCode === 410;
        return { ok: false, permanent: permanentHttp(e.statusCode ?? null), gone, error: short(`${e.statusCode ? `HTTP ${e.statusCode}: ` : ''}${e.message ?? String(err)}`) };
      }
    },
    async close() {},
  };
}

export function generateVapidKeys(): { publicKey: string; privateKey: string } {
  return webpush.generateVAPIDKeys();
}
