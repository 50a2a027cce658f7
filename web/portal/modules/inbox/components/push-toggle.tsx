import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useResource } from '../../../use-resource';
import { ErrorText } from '../../shell/components/error-text';
import { deletePushSubscription, fetchPush, putPushSubscription, type PortalPushView, type PushSubscriptionInput } from '../api/inbox-api';

const supported = () => typeof window !== 'undefined' && 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;

/** The VAPID public key (base64url) as the bytes `PushManager.subscribe` takes. */
function keyBytes(base64url: string): Uint8Array<ArrayBuffer> {
  const b64 = base64url.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (base64url.length % 4)) % 4);
  const raw = atob(b64);
  const out = new Uint8Array(new ArrayBuffer(raw.length));
  for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
  return out;
}

const asInput = (s: PushSubscription): PushSubscriptionInput => s.toJSON() as PushSubscriptionInput;

/**
 * "Notifications on this phone": subscribes this browser with the program's VAPID key and stores
 * the subscription, or unsubscribes and forgets it. Shown only when the program has Web Push.
 * On opening, a subscription the browser renewed by itself is sent again.
 */
export function PushToggle() {
  const { t } = useTranslation();
  const push = useResource(fetchPush);
  const [state, setState] = useState<PortalPushView | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [note, setNote] = useState<string | null>(null);
  const p = state ?? push.data;

  useEffect(() => {
    if (!p?.available || !p.subscribed || !supported()) return;
    const resync = () =>
      void navigator.serviceWorker.ready
        .then((reg) => reg.pushManager.getSubscription())
        .then(async (sub) => {
          if (sub && sub.endpoint !== p.endpoint) setState(await putPushSubscription(asInput(sub)));
        })
        .catch(() => undefined);
    resync();
    const onMessage = (e: MessageEvent) => (e.data as { type?: string } | null)?.type === 'push-subscription-changed' && resync();
    navigator.serviceWorker.addEventListener('message', onMessage);
    return () => navigator.serviceWorker.removeEventListener('message', onMessage);
  }, [p?.available, p?.subscribed, p?.endpoint]);

  if (!p) return <ErrorText error={push.error} />;
  if (!p.available) return null;
  if (!supported()) return <p className="muted">{t('push.unsupported')}</p>;

  async function toggle(on: boolean) {
    setBusy(true);
    setError(null);
    setNote(null);
    try {
      const reg = await navigator.serviceWorker.ready;
      if (on) {
        if ((await Notification.requestPermission()) !== 'granted') {
          setNote(t('push.denied'));
          return;
        }
        const sub = (await reg.pushManager.getSubscription()) ?? (await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(p!.publicKey!) }));
        setState(await putPushSubscription(asInput(sub)));
      } else {
        await (await reg.pushManager.getSubscription())?.unsubscribe();
        setState(await deletePushSubscription());
      }
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <label className="check">
        <input type="checkbox" disabled={busy} checked={p.subscribed && p.enabled} onChange={(e) => void toggle(e.currentTarget.checked)} /> {t('push.toggle')}
      </label>
      {note ? <p className="muted">{note}</p> : null}
      <ErrorText error={error} />
    </>
  );
}
