import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '@shared/format/use-format';
import { Link } from '../../../router';
import { useResource } from '../../../use-resource';
import { ErrorText } from '../../shell/components/error-text';
import { addPhoto, answerEvent, fetchClubEvents, fetchStories, icsUrl, photoUrl, submitStory, ticketUrl, type PortalClubEvent, type StoryView } from '../api/club-api';

/** When an event is, in its own time zone (where it happens), with the zone named. */
function when(e: PortalClubEvent, locale: string): string {
  const fmt = new Intl.DateTimeFormat(locale, { timeZone: e.timeZone, dateStyle: 'medium', timeStyle: 'short' });
  return `${fmt.format(new Date(e.startsAt))} (${e.timeZone})`;
}

function EventCard({ e, onChanged }: { e: PortalClubEvent; onChanged: () => void }) {
  const { t, i18n } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [showTicket, setShowTicket] = useState(false);
  const past = new Date(e.endsAt).getTime() < Date.now();
  const answer = async (a: 'yes' | 'no' | 'maybe') => {
    setBusy(true);
    setError(null);
    try {
      await answerEvent(e.id, a);
      onChanged();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card" aria-label={e.title} data-testid={`club-event-${e.id}`}>
      <div className="card-head">
        <h2>{e.title}</h2>
        <span className="muted small">{t(`club.kinds.${e.kind}`)}</span>
      </div>
      <p className="small">{when(e, i18n.language)}</p>
      {e.place ? <p className="small">{e.place}</p> : null}
      {e.url ? (
        <p className="small">
          <a href={e.url} target="_blank" rel="noopener noreferrer">
            {t('club.online')}
          </a>
        </p>
      ) : null}
      <p className="small muted">{t('club.seats', { going: e.going, capacity: e.capacity })}</p>
      {e.myStatus ? <p className="small" data-testid="club-my-status">{t(`club.statuses.${e.myStatus}`)}</p> : null}
      {e.checkedInAt ? <p className="small">{t('club.checkedIn')}</p> : null}
      {!past ? (
        <div className="row-buttons">
          <button type="button" className="primary" disabled={busy || e.myStatus === 'going' || e.myStatus === 'waitlisted'} onClick={() => answer('yes')}>
            {t('club.yes')}
          </button>
          <button type="button" className="secondary" disabled={busy || e.myStatus === 'maybe'} onClick={() => answer('maybe')}>
            {t('club.maybe')}
          </button>
          <button type="button" className="secondary" disabled={busy || e.myStatus === 'declined'} onClick={() => answer('no')}>
            {t('club.no')}
          </button>
        </div>
      ) : null}
      <ErrorText error={error} />
      <p className="small">
        <a href={icsUrl(e.id)} download={`${e.id}.ics`}>
          {t('club.addToCalendar')}
        </a>
      </p>
      {e.ticket ? (
        <>
          <button type="button" className="secondary" onClick={() => setShowTicket((s) => !s)}>
            {showTicket ? t('club.hideTicket') : t('club.showTicket')}
          </button>
          {showTicket ? (
            <div className="ticket" data-testid="club-ticket">
              <img src={ticketUrl(e.id)} alt={t('club.ticketAlt')} width={240} height={240} />
              <p className="small muted">{t('club.ticketCode')}</p>
              <p className="mono small" style={{ wordBreak: 'break-all' }} data-testid="club-ticket-code">
                {e.ticket.token}
              </p>
            </div>
          ) : null}
        </>
      ) : null}
    </section>
  );
}

function StoryCard({ s }: { s: StoryView }) {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <article className="card" aria-label={s.title}>
      <div className="card-head">
        <h2>{s.title}</h2>
        <span className="muted small">{s.status === 'published' ? f.date(s.publishedAt ?? s.createdAt) : t(`club.storyStatuses.${s.status}`)}</span>
      </div>
      <p className="small muted">
        {s.memberName} · {s.accountName}
      </p>
      {s.photos.map((p) => (
        <img key={p.photoId} src={photoUrl(s.id, p.photoId)} alt={s.title} style={{ width: '100%', borderRadius: 8 }} loading="lazy" />
      ))}
      <p style={{ whiteSpace: 'pre-wrap' }}>{s.text}</p>
      {s.reason ? <p className="small muted">{t('club.rejectedBecause', { reason: s.reason })}</p> : null}
    </article>
  );
}

function StoryForm({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation();
  const [title, setTitle] = useState('');
  const [text, setText] = useState('');
  const [photos, setPhotos] = useState<File[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [sent, setSent] = useState(false);
  const submit = async (ev: FormEvent) => {
    ev.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const s = await submitStory({ title: title.trim(), text: text.trim() });
      for (const p of photos) await addPhoto(s.id, p);
      setTitle('');
      setText('');
      setPhotos([]);
      setSent(true);
      onDone();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="card" onSubmit={submit} aria-label={t('club.tellStory')}>
      <h2>{t('club.tellStory')}</h2>
      <label>
        {t('club.storyTitle')}
        <input value={title} onChange={(e) => setTitle(e.currentTarget.value)} required maxLength={200} />
      </label>
      <label>
        {t('club.storyText')}
        <textarea value={text} onChange={(e) => setText(e.currentTarget.value)} required rows={5} maxLength={20000} />
      </label>
      <label>
        {t('club.photos')}
        <input type="file" accept="image/*" multiple onChange={(e) => setPhotos(Array.from(e.currentTarget.files ?? []).slice(0, 6))} />
      </label>
      <ErrorText error={error} />
      {sent ? <p className="small">{t('club.storySent')}</p> : null}
      <button type="submit" className="primary" disabled={busy || !title.trim() || !text.trim()}>
        {t('club.send')}
      </button>
    </form>
  );
}

/** The club in the portal: events with my answer, ticket and calendar file; the story feed and my own stories. */
export function ClubScreen({ tab }: { tab: 'events' | 'stories' }) {
  const { t } = useTranslation();
  const events = useResource(tab === 'events' ? fetchClubEvents : null, [tab]);
  const stories = useResource(tab === 'stories' ? fetchStories : null, [tab]);
  return (
    <>
      <h1>{t('club.title')}</h1>
      <nav className="row-buttons" aria-label={t('club.title')}>
        <Link to="/club" aria-current={tab === 'events' ? 'page' : undefined}>
          {t('club.events')}
        </Link>
        <Link to="/club/stories" aria-current={tab === 'stories' ? 'page' : undefined}>
          {t('club.stories')}
        </Link>
      </nav>
      {tab === 'events' ? (
        <>
          <ErrorText error={events.error} />
          {events.data?.map((e) => <EventCard key={e.id} e={e} onChanged={events.reload} />)}
          {events.data && !events.data.length ? <p className="muted">{t('club.noEvents')}</p> : null}
        </>
      ) : (
        <>
          <ErrorText error={stories.error} />
          {stories.data?.published.map((s) => <StoryCard key={s.id} s={s} />)}
          {stories.data && !stories.data.published.length ? <p className="muted">{t('club.noStories')}</p> : null}
          <StoryForm onDone={stories.reload} />
          {stories.data?.mine.length ? <h2>{t('club.myStories')}</h2> : null}
          {stories.data?.mine.map((s) => <StoryCard key={`mine-${s.id}`} s={s} />)}
        </>
      )}
    </>
  );
}

/** The home screen's way in. */
export function ClubLink() {
  const { t } = useTranslation();
  return (
    <p className="small">
      <Link to="/club">{t('club.link')}</Link>
    </p>
  );
}
