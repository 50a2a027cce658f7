import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useResource } from '../../../use-resource';
import { ErrorText } from '../../shell/components/error-text';
import { fetchInbox, fetchPreferences, markRead, savePreferences, type PreferencesView } from '../api/inbox-api';
import { PushToggle } from './push-toggle';

// Push has its own switch: it needs this browser's subscription, not only a preference.
const MEDIA = ['email', 'sms', 'whatsapp', 'telegram'] as const;

/** My notification choices: which channels, marketing or not, quiet hours. Saved as each one changes. */
function Preferences() {
  const { t } = useTranslation();
  const prefs = useResource(fetchPreferences);
  const [saved, setSaved] = useState<PreferencesView | null>(null);
  const [error, setError] = useState<unknown>(null);
  const p = saved ?? prefs.data;
  async function save(patch: Parameters<typeof savePreferences>[0]) {
    try {
      setSaved(await savePreferences(patch));
      setError(null);
    } catch (err) {
      setError(err);
    }
  }
  if (!p) return <ErrorText error={prefs.error} />;
  return (
    <section className="card stack" aria-labelledby="prefs-title">
      <h2 id="prefs-title">{t('inbox.preferences')}</h2>
      {MEDIA.map((m) => (
        <label key={m} className="check">
          <input type="checkbox" checked={p.channels[m] !== false} onChange={(e) => void save({ channels: { [m]: e.currentTarget.checked } })} /> {t(`inbox.media.${m}`)}
        </label>
      ))}
      <PushToggle />
      <label className="check">
        <input type="checkbox" checked={p.categories.marketing} onChange={(e) => void save({ categories: { marketing: e.currentTarget.checked } })} /> {t('inbox.marketing')}
      </label>
      <label className="check">
        <input type="checkbox" checked={Boolean(p.quietHours)} onChange={(e) => void save({ quietHours: e.currentTarget.checked ? { from: '21:00', to: '08:00' } : null })} /> {t('inbox.quietHours')}
      </label>
      {p.quietHours ? (
        <div className="row">
          <label>
            {t('inbox.from')} <input type="time" value={p.quietHours.from} onChange={(e) => e.currentTarget.value && void save({ quietHours: { from: e.currentTarget.value, to: p.quietHours!.to } })} />
          </label>
          <label>
            {t('inbox.to')} <input type="time" value={p.quietHours.to} onChange={(e) => e.currentTarget.value && void save({ quietHours: { from: p.quietHours!.from, to: e.currentTarget.value } })} />
          </label>
        </div>
      ) : null}
      <ErrorText error={error} />
    </section>
  );
}

/** The portal inbox: messages newest first, unread in bold; opening one marks it read. */
export function InboxScreen({ onUnread }: { onUnread: (n: number) => void }) {
  const { t } = useTranslation();
  const inbox = useResource(() => fetchInbox().then((r) => (onUnread(r.unread), r)));
  const [open, setOpen] = useState<string | null>(null);
  const [read, setRead] = useState<Set<string>>(new Set());
  async function openMessage(id: string, unread: boolean) {
    setOpen(open === id ? null : id);
    if (!unread) return;
    const r = await markRead(id);
    setRead((s) => new Set(s).add(id));
    onUnread(r.unread);
  }
  return (
    <div className="stack">
      <h1>{t('inbox.title')}</h1>
      <ErrorText error={inbox.error} />
      <section className="card">
        {inbox.data && !inbox.data.items.length ? <p className="muted">{t('inbox.empty')}</p> : null}
        <ul className="list">
          {(inbox.data?.items ?? []).map((m) => {
            const unread = !m.readAt && !read.has(m.id);
            return (
              <li key={m.id}>
                <button type="button" className="link" aria-expanded={open === m.id} onClick={() => void openMessage(m.id, unread)} style={{ fontWeight: unread ? 700 : 400 }}>
                  {m.subject ?? m.text.split('\n')[0]}
                </button>
                <span className="muted"> · {new Date(m.createdAt).toLocaleDateString()}</span>
                {open === m.id ? <p style={{ whiteSpace: 'pre-line' }}>{m.text}</p> : null}
              </li>
            );
          })}
        </ul>
      </section>
      <Preferences />
    </div>
  );
}
