import { Anchor, Badge, Button, Card, Checkbox, Group, Image, NumberInput, SegmentedControl, Select, Stack, Table, Tabs, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { CLUB_EVENT_KINDS, type ClubEventKind } from '@contracts/club';
import { useFormat } from '@shared/format/use-format';
import { useSession } from '../../auth/components/session-provider';
import { ErrorAlert } from '../../ui/components/error-alert';
import { Page } from '../../ui/components/page';
import { icsUrl, photoUrl, type ClubEventView, type StoryView } from '../api/club-api';
import { useClubEvents, useClubMutations, useNoShows, useRsvps, useStories } from '../hooks/use-club';

/** An instant as the value of a `datetime-local` input, in the browser's zone. */
function localInput(iso: string): string {
  const d = new Date(iso);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

/**
 * The editor of an event, new or existing: kind, times in the browser's zone (sent as instants),
 * place or link, capacity, audience by segment, tier, role. An existing event keeps its own time
 * zone; clearing its place or link removes them.
 */
function EventEditor({ event, onDone }: { event?: ClubEventView; onDone?: () => void }) {
  const { t } = useTranslation();
  const { create, update } = useClubMutations();
  const [title, setTitle] = useState(event?.title ?? '');
  const [kind, setKind] = useState<ClubEventKind>(event?.kind ?? 'club_meeting');
  const [startsAt, setStartsAt] = useState(event ? localInput(event.startsAt) : '');
  const [endsAt, setEndsAt] = useState(event ? localInput(event.endsAt) : '');
  const [place, setPlace] = useState(event?.place ?? '');
  const [url, setUrl] = useState(event?.url ?? '');
  const [capacity, setCapacity] = useState<number | string>(event?.capacity ?? 20);
  const [segments, setSegments] = useState((event?.audience.segments ?? []).join(', '));
  const [tiers, setTiers] = useState((event?.audience.tiers ?? []).join(', '));
  const [roles, setRoles] = useState((event?.audience.roles ?? []).join(', '));
  const list = (s: string) => s.split(',').map((x) => x.trim()).filter(Boolean);
  const timeZone = event?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  const mutation = event ? update : create;
  const submit = () => {
    const common = {
      title: title.trim(),
      kind,
      startsAt: new Date(startsAt).toISOString(),
      endsAt: new Date(endsAt).toISOString(),
      capacity: Number(capacity),
      audience: { ...(list(segments).length ? { segments: list(segments) } : {}), ...(list(tiers).length ? { tiers: list(tiers) } : {}), ...(list(roles).length ? { roles: list(roles) } : {}) },
    };
    if (event) update.mutate({ id: event.id, body: { ...common, place: place.trim() || null, url: url.trim() || null } }, { onSuccess: () => onDone?.() });
    else create.mutate({ ...common, timeZone, ...(place.trim() ? { place: place.trim() } : {}), ...(url.trim() ? { url: url.trim() } : {}) }, { onSuccess: () => setTitle('') });
  };
  return (
    <Card withBorder padding="md" data-testid={event ? `club-event-editor-${event.id}` : 'club-event-editor'}>
      <Stack gap="xs">
        <Title order={4}>{event ? t('club.editEvent') : t('club.newEvent')}</Title>
        <Group grow align="flex-end">
          <TextInput label={t('club.eventTitle')} value={title} onChange={(e) => setTitle(e.currentTarget.value)} required />
          <Select label={t('club.kind')} value={kind} onChange={(v) => v && setKind(v as ClubEventKind)} data={CLUB_EVENT_KINDS.map((k) => ({ value: k, label: t(`club.kinds.${k}`) }))} allowDeselect={false} />
        </Group>
        <Group grow align="flex-end">
          <TextInput type="datetime-local" label={t('club.startsAt')} value={startsAt} onChange={(e) => setStartsAt(e.currentTarget.value)} required />
          <TextInput type="datetime-local" label={t('club.endsAt')} value={endsAt} onChange={(e) => setEndsAt(e.currentTarget.value)} required />
          <NumberInput label={t('club.capacity')} value={capacity} onChange={setCapacity} min={1} allowDecimal={false} description={event ? t('club.capacityHelp', { going: event.going, waitlisted: event.waitlisted }) : undefined} />
        </Group>
        <Group grow>
          <TextInput label={t('club.place')} value={place} onChange={(e) => setPlace(e.currentTarget.value)} />
          <TextInput label={t('club.url')} value={url} onChange={(e) => setUrl(e.currentTarget.value)} placeholder="https://" />
        </Group>
        <Group grow>
          <TextInput label={t('club.segments')} value={segments} onChange={(e) => setSegments(e.currentTarget.value)} />
          <TextInput label={t('club.tiers')} value={tiers} onChange={(e) => setTiers(e.currentTarget.value)} />
          <TextInput label={t('club.roles')} value={roles} onChange={(e) => setRoles(e.currentTarget.value)} />
        </Group>
        <Text size="xs" c="dimmed">
          {t('club.timeZoneNote', { zone: timeZone })}
        </Text>
        <ErrorAlert error={mutation.error} />
        <Group>
          <Button onClick={submit} loading={mutation.isPending} disabled={!title.trim() || !startsAt || !endsAt}>
            {event ? t('club.save') : t('club.create')}
          </Button>
          {onDone ? (
            <Button variant="subtle" onClick={onDone}>
              {t('club.cancelEdit')}
            </Button>
          ) : null}
        </Group>
      </Stack>
    </Card>
  );
}

function RsvpList({ id }: { id: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const rsvps = useRsvps(id);
  return (
    <Table striped data-testid="club-rsvps">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('club.member')}</Table.Th>
          <Table.Th>{t('club.account')}</Table.Th>
          <Table.Th>{t('club.status')}</Table.Th>
          <Table.Th>{t('club.checkedIn')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {(rsvps.data ?? []).map((r) => (
          <Table.Tr key={r.memberId}>
            <Table.Td>{r.memberName}</Table.Td>
            <Table.Td>{r.accountName}</Table.Td>
            <Table.Td>
              <Badge variant="light">{t(`club.statuses.${r.status}`)}</Badge>
            </Table.Td>
            <Table.Td>{r.checkedInAt ? f.dateTime(r.checkedInAt) : '—'}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function EventCard({ e }: { e: ClubEventView }) {
  const { t } = useTranslation();
  const f = useFormat();
  const { can } = useSession();
  const { invite } = useClubMutations();
  const [open, setOpen] = useState(false);
  const [editing, setEditing] = useState(false);
  if (editing) return <EventEditor event={e} onDone={() => setEditing(false)} />;
  return (
    <Card withBorder padding="md" data-testid={`club-event-${e.id}`}>
      <Stack gap="xs">
        <Group justify="space-between" wrap="nowrap">
          <div>
            <Title order={4}>{e.title}</Title>
            <Text size="sm" c="dimmed">
              {t(`club.kinds.${e.kind}`)} · {f.dateTime(e.startsAt)} – {f.dateTime(e.endsAt)} ({e.timeZone}){e.place ? ` · ${e.place}` : ''}
            </Text>
            {e.url ? (
              <Anchor href={e.url} target="_blank" rel="noopener" size="sm">
                {e.url}
              </Anchor>
            ) : null}
          </div>
          <Group gap={6}>
            <Badge>{t('club.goingOf', { going: e.going, capacity: e.capacity })}</Badge>
            {e.waitlisted ? <Badge color="orange">{t('club.waitlistedCount', { count: e.waitlisted })}</Badge> : null}
            {e.attended ? <Badge color="green">{t('club.attendedCount', { count: e.attended })}</Badge> : null}
          </Group>
        </Group>
        <Group gap="xs">
          <Button size="xs" variant="default" onClick={() => setOpen((o) => !o)}>
            {open ? t('club.hideRsvps') : t('club.showRsvps')}
          </Button>
          {can('club:write') ? (
            <Button size="xs" variant="default" onClick={() => setEditing(true)}>
              {t('club.edit')}
            </Button>
          ) : null}
          {can('club:write') ? (
            <Button size="xs" variant="default" component={Link} to={`/club/events/${e.id}/check-in`}>
              {t('club.checkIn')}
            </Button>
          ) : null}
          {can('club:write') ? (
            <Button size="xs" variant="default" loading={invite.isPending && invite.variables === e.id} onClick={() => invite.mutate(e.id)}>
              {e.invitedAt ? t('club.inviteAgain') : t('club.invite')}
            </Button>
          ) : null}
          <Anchor href={icsUrl(e.id)} size="sm">
            {t('club.ics')}
          </Anchor>
          {invite.data && invite.variables === e.id ? <Text size="sm">{t('club.invited', { count: invite.data.queued })}</Text> : null}
        </Group>
        <ErrorAlert error={invite.variables === e.id ? invite.error : null} />
        {open ? <RsvpList id={e.id} /> : null}
      </Stack>
    </Card>
  );
}

function NoShows() {
  const { t } = useTranslation();
  const f = useFormat();
  const rows = useNoShows();
  return (
    <Card withBorder padding="md">
      <Title order={4}>{t('club.noShowsTitle')}</Title>
      <Table data-testid="club-no-shows">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('club.account')}</Table.Th>
            <Table.Th>{t('club.going')}</Table.Th>
            <Table.Th>{t('club.attended')}</Table.Th>
            <Table.Th>{t('club.noShows')}</Table.Th>
            <Table.Th>{t('club.noShowRate')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(rows.data ?? []).map((r) => (
            <Table.Tr key={r.accountId}>
              <Table.Td>
                <Anchor component={Link} to={`/accounts/${r.accountId}`}>
                  {r.accountName}
                </Anchor>
              </Table.Td>
              <Table.Td>{f.number(r.going)}</Table.Td>
              <Table.Td>{f.number(r.attended)}</Table.Td>
              <Table.Td>{f.number(r.noShows)}</Table.Td>
              <Table.Td>{f.number(r.noShowRateBp / 100)} %</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Card>
  );
}

function StoryCard({ s }: { s: StoryView }) {
  const { t } = useTranslation();
  const f = useFormat();
  const { can } = useSession();
  const { publish, reject } = useClubMutations();
  const [segments, setSegments] = useState('');
  const [tiers, setTiers] = useState('');
  const [roles, setRoles] = useState('');
  const list = (v: string) => v.split(',').map((x) => x.trim()).filter(Boolean);
  const [award, setAward] = useState(true);
  const [reason, setReason] = useState('');
  return (
    <Card withBorder padding="md" data-testid={`club-story-${s.id}`}>
      <Stack gap="xs">
        <Group justify="space-between">
          <div>
            <Title order={4}>{s.title}</Title>
            <Text size="sm" c="dimmed">
              {s.memberName} · {s.accountName} · {f.dateTime(s.createdAt)}
            </Text>
          </div>
          <Badge variant="light">{t(`club.storyStatuses.${s.status}`)}</Badge>
        </Group>
        <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
          {s.text}
        </Text>
        {s.photos.length ? (
          <Group gap="sm">
            {s.photos.map((p) => (
              <Anchor key={p.photoId} href={photoUrl(s.id, p.photoId)} target="_blank" rel="noopener">
                <Image src={photoUrl(s.id, p.photoId)} alt={s.title} h={110} w={160} fit="cover" radius="sm" />
              </Anchor>
            ))}
          </Group>
        ) : null}
        {s.reason ? <Text size="sm" fs="italic">{s.reason}</Text> : null}
        <ErrorAlert error={publish.variables?.id === s.id ? publish.error : reject.variables?.id === s.id ? reject.error : null} />
        {can('club:write') && s.status === 'submitted' ? (
          <Group gap="xs" align="flex-end">
            <TextInput size="xs" w={220} label={t('club.publishTo')} value={segments} onChange={(e) => setSegments(e.currentTarget.value)} placeholder={t('club.everyone')} />
            <TextInput size="xs" w={180} label={t('club.tiers')} value={tiers} onChange={(e) => setTiers(e.currentTarget.value)} placeholder={t('club.everyone')} />
            <TextInput size="xs" w={180} label={t('club.roles')} value={roles} onChange={(e) => setRoles(e.currentTarget.value)} placeholder={t('club.everyone')} />
            <Checkbox size="xs" label={t('club.awardPoints')} checked={award} onChange={(e) => setAward(e.currentTarget.checked)} />
            <Button size="xs" loading={publish.isPending && publish.variables?.id === s.id} onClick={() => publish.mutate({ id: s.id, segments: list(segments), tiers: list(tiers), roles: list(roles), awardPoints: award })}>
              {t('club.publish')}
            </Button>
            <Textarea size="xs" w={240} autosize minRows={1} label={t('club.reason')} value={reason} onChange={(e) => setReason(e.currentTarget.value)} />
            <Button size="xs" variant="default" color="red" disabled={!reason.trim()} onClick={() => reject.mutate({ id: s.id, reason: reason.trim() })}>
              {t('club.reject')}
            </Button>
          </Group>
        ) : null}
      </Stack>
    </Card>
  );
}

function Stories() {
  const { t } = useTranslation();
  const [status, setStatus] = useState<StoryView['status']>('submitted');
  const stories = useStories(status);
  return (
    <Stack gap="sm">
      <SegmentedControl aria-label={t('club.status')} value={status} onChange={(v) => setStatus(v as StoryView['status'])} data={(['submitted', 'published', 'rejected'] as const).map((s) => ({ value: s, label: t(`club.storyStatuses.${s}`) }))} />
      <ErrorAlert error={stories.error} />
      {(stories.data ?? []).map((s) => (
        <StoryCard key={s.id} s={s} />
      ))}
      {!stories.data?.length && !stories.isLoading ? <Text c="dimmed">{t('common.noResults')}</Text> : null}
    </Stack>
  );
}

/** The club in the console: events (list, editor, RSVPs, invitations, check-in), no-shows per account, and the stories to moderate. */
export function ClubPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const [when, setWhen] = useState<'upcoming' | 'past' | 'all'>('upcoming');
  const events = useClubEvents(when);
  return (
    <Page title={t('club.title')}>
      <Tabs defaultValue="events" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="events">{t('club.events')}</Tabs.Tab>
          <Tabs.Tab value="noShows">{t('club.noShowsTitle')}</Tabs.Tab>
          <Tabs.Tab value="stories">{t('club.stories')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="events" pt="md">
          <Stack gap="sm">
            <SegmentedControl aria-label={t('club.when')} value={when} onChange={(v) => setWhen(v as typeof when)} data={(['upcoming', 'past', 'all'] as const).map((w) => ({ value: w, label: t(`club.whens.${w}`) }))} />
            <ErrorAlert error={events.error} />
            {(events.data ?? []).map((e) => (
              <EventCard key={e.id} e={e} />
            ))}
            {!events.data?.length && !events.isLoading ? <Text c="dimmed">{t('common.noResults')}</Text> : null}
            {can('club:write') ? <EventEditor /> : null}
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="noShows" pt="md">
          <NoShows />
        </Tabs.Panel>
        <Tabs.Panel value="stories" pt="md">
          <Stories />
        </Tabs.Panel>
      </Tabs>
    </Page>
  );
}
