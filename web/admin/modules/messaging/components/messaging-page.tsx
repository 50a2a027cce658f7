import { Alert, Badge, Button, Card, Code, Group, MultiSelect, NumberInput, Select, SimpleGrid, Stack, Switch, Table, Tabs, Text, Textarea, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Fragment, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { CHANNEL_TYPES, MEDIA, MESSAGE_LOCALES } from '@contracts/messaging';
import { useFormat } from '@shared/format/use-format';
import { useSession } from '../../auth/components/session-provider';
import { ErrorAlert } from '../../ui/components/error-alert';
import { Page } from '../../ui/components/page';
import * as m from '../api/messaging-api';
import { ReachReport } from './reach-report';

const statusColor = (s: string) => (s === 'sent' || s === 'delivered' ? 'teal' : s === 'failed' ? 'red' : s === 'suppressed' ? 'orange' : s === 'held' ? 'grape' : 'gray');

/** An e-mail's HTML, shown in a sandbox: no scripts, no requests to the tracking pixel from the console. */
function MailFrame({ html, title }: { html: string; title: string }) {
  return <iframe title={title} sandbox="" srcDoc={html} style={{ width: '100%', minHeight: 260, border: '1px solid var(--mantine-color-gray-3)', background: 'white' }} />;
}

function Channels() {
  const { t } = useTranslation();
  const { can } = useSession();
  const qc = useQueryClient();
  const channels = useQuery({ queryKey: ['channels'], queryFn: m.fetchChannels });
  const [type, setType] = useState<string>('email');
  const [name, setName] = useState('');
  const [settings, setSettings] = useState('{\n  "host": "smtp.example.com",\n  "port": 587,\n  "from": "Club <club@example.com>"\n}');
  const [shown, setShown] = useState<string | null>(null);
  const create = useMutation({ mutationFn: m.createChannel, onSuccess: () => qc.invalidateQueries({ queryKey: ['channels'] }) });
  const toggle = useMutation({ mutationFn: ({ id, active }: { id: string; active: boolean }) => m.setChannelActive(id, active), onSuccess: () => qc.invalidateQueries({ queryKey: ['channels'] }) });
  const [jsonError, setJsonError] = useState<string | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(settings) as Record<string, unknown>;
      setJsonError(null);
    } catch {
      setJsonError(t('messaging.settingsJson'));
      return;
    }
    const created = await create.mutateAsync({ type: type as m.ChannelInput['type'], name: name.trim() || type, settings: parsed });
    setShown(created.signingSecret ?? created.vapidPublicKey ?? null);
  }

  return (
    <Stack>
      <Text size="sm" c="dimmed">{t('messaging.channelsIntro')}</Text>
      {can('messaging:write') ? (
        <Card withBorder maw={760}>
          <form onSubmit={submit} noValidate>
            <Stack gap="sm">
              <Group grow>
                <Select label={t('messaging.type')} data={CHANNEL_TYPES.map((x) => ({ value: x, label: t(`messaging.types.${x}`) }))} value={type} onChange={(v) => setType(v ?? 'email')} allowDeselect={false} />
                <TextInput label={t('messaging.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} />
              </Group>
              <Textarea label={t('messaging.settings')} description={t('messaging.settingsHelp')} autosize minRows={4} className="mono" value={settings} onChange={(e) => setSettings(e.currentTarget.value)} error={jsonError} />
              <ErrorAlert error={create.error} />
              <Button type="submit" loading={create.isPending} w="fit-content">{t('messaging.addChannel')}</Button>
            </Stack>
          </form>
        </Card>
      ) : null}
      {shown ? (
        <Alert color="yellow" title={t('messaging.shownOnce')} withCloseButton onClose={() => setShown(null)}>
          <Code block>{shown}</Code>
        </Alert>
      ) : null}
      <ErrorAlert error={channels.error ?? toggle.error} />
      <Table>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('messaging.name')}</Table.Th>
            <Table.Th>{t('messaging.type')}</Table.Th>
            <Table.Th>{t('messaging.medium')}</Table.Th>
            <Table.Th>{t('messaging.secrets')}</Table.Th>
            <Table.Th>{t('messaging.active')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          <Table.Tr>
            <Table.Td>{t('messaging.inbox')}</Table.Td>
            <Table.Td>—</Table.Td>
            <Table.Td>inbox</Table.Td>
            <Table.Td>—</Table.Td>
            <Table.Td>{t('common.yes')}</Table.Td>
          </Table.Tr>
          {(channels.data ?? []).map((c) => (
            <Table.Tr key={c.id}>
              <Table.Td>{c.name}</Table.Td>
              <Table.Td>{t(`messaging.types.${c.type}`)}</Table.Td>
              <Table.Td>{c.medium}</Table.Td>
              <Table.Td>{c.secretsSet.length ? c.secretsSet.join(', ') : '—'}</Table.Td>
              <Table.Td>
                <Switch aria-label={t('messaging.active')} checked={c.active} disabled={!can('messaging:write')} onChange={(e) => toggle.mutate({ id: c.id, active: e.currentTarget.checked })} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}

function Templates() {
  const { t } = useTranslation();
  const { can } = useSession();
  const qc = useQueryClient();
  const [key, setKey] = useState('points_earned');
  const [draft, setDraft] = useState({ key: 'points_earned', channel: 'email', locale: 'en', subject: '', body: '' });
  const templates = useQuery({ queryKey: ['templates', key], queryFn: () => m.fetchTemplates(key.trim() || undefined) });
  const preview = useMutation({ mutationFn: m.previewTemplate });
  const save = useMutation({ mutationFn: m.saveTemplate, onSuccess: () => qc.invalidateQueries({ queryKey: ['templates'] }) });
  const set = (k: keyof typeof draft, v: string) => setDraft((d) => ({ ...d, [k]: v }));

  return (
    <SimpleGrid cols={{ base: 1, lg: 2 }}>
      <Stack>
        <TextInput label={t('messaging.templateKey')} value={key} onChange={(e) => setKey(e.currentTarget.value)} />
        <ErrorAlert error={templates.error} />
        <Table>
          <Table.Tbody>
            {(templates.data ?? []).map((x) => (
              <Table.Tr key={`${x.key}|${x.channel}|${x.locale}|${x.role ?? ''}`} style={{ cursor: 'pointer' }} onClick={() => setDraft({ key: x.key, channel: x.channel, locale: x.locale, subject: x.subject ?? '', body: x.body })}>
                <Table.Td className="mono">{x.key}</Table.Td>
                <Table.Td>{x.channel}</Table.Td>
                <Table.Td>{x.locale}{x.role ? ` · ${x.role}` : ''}</Table.Td>
                <Table.Td>{x.builtIn ? <Badge variant="light" color="gray">{t('messaging.builtIn')}</Badge> : <Badge variant="light">{t('messaging.own')}</Badge>}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Stack>
      <Card withBorder>
        <Stack gap="sm">
          <Group grow>
            <TextInput label={t('messaging.templateKey')} value={draft.key} onChange={(e) => set('key', e.currentTarget.value)} />
            <Select label={t('messaging.medium')} data={[...MEDIA]} value={draft.channel} onChange={(v) => set('channel', v ?? 'email')} allowDeselect={false} />
            <Select label={t('messaging.locale')} data={[...MESSAGE_LOCALES]} value={draft.locale} onChange={(v) => set('locale', v ?? 'en')} allowDeselect={false} />
          </Group>
          <TextInput label={t('messaging.subject')} value={draft.subject} onChange={(e) => set('subject', e.currentTarget.value)} />
          <Textarea label={t('messaging.body')} description={t('messaging.bodyHelp')} autosize minRows={6} className="mono" value={draft.body} onChange={(e) => set('body', e.currentTarget.value)} />
          <ErrorAlert error={preview.error ?? save.error} />
          <Group>
            <Button variant="default" onClick={() => preview.mutate(draft)} loading={preview.isPending}>{t('messaging.preview')}</Button>
            {can('messaging:write') ? <Button onClick={() => save.mutate(draft)} loading={save.isPending}>{t('common.save')}</Button> : null}
          </Group>
          {preview.data ? (
            <Stack gap={4}>
              {preview.data.subject ? <Text fw={600}>{preview.data.subject}</Text> : null}
              {preview.data.html ? <MailFrame html={preview.data.html} title={t('messaging.preview')} /> : <Code block>{preview.data.text}</Code>}
            </Stack>
          ) : null}
        </Stack>
      </Card>
    </SimpleGrid>
  );
}

function DevMailbox() {
  const { t } = useTranslation();
  const f = useFormat();
  const mails = useQuery({ queryKey: ['dev-mailbox'], queryFn: m.fetchDevMail, refetchInterval: 5000 });
  const [open, setOpen] = useState<string | null>(null);
  return (
    <Stack>
      <Text size="sm" c="dimmed">{t('messaging.devMailboxIntro')}</Text>
      <ErrorAlert error={mails.error} />
      {(mails.data ?? []).map((d) => (
        <Card key={d.id} withBorder>
          <Group justify="space-between" style={{ cursor: 'pointer' }} onClick={() => setOpen(open === d.id ? null : d.id)}>
            <div>
              <Text fw={600}>{d.subject}</Text>
              <Text size="sm" c="dimmed">{t('messaging.fromTo', { from: d.from, to: d.to })}</Text>
            </div>
            <Text size="sm">{f.dateTime(d.createdAt)}</Text>
          </Group>
          {open === d.id ? <MailFrame html={d.html} title={d.subject} /> : null}
        </Card>
      ))}
      {mails.data && !mails.data.length ? <Text c="dimmed">{t('messaging.noMail')}</Text> : null}
    </Stack>
  );
}

function Timeline({ id }: { id: string }) {
  const f = useFormat();
  const msg = useQuery({ queryKey: ['message', id], queryFn: () => m.fetchMessage(id) });
  if (msg.error) return <ErrorAlert error={msg.error} />;
  return (
    <Stack gap={2} p="xs">
      {(msg.data?.timeline ?? []).map((e, i) => (
        <Text key={i} size="sm">
          {f.dateTime(e.at)} · <b>{e.status}</b>{e.detail ? ` · ${e.detail}` : ''}
        </Text>
      ))}
      {msg.data?.text ? <Code block>{msg.data.text}</Code> : null}
    </Stack>
  );
}

function MemberMessages() {
  const { t } = useTranslation();
  const f = useFormat();
  const [ref, setRef] = useState('');
  const [member, setMember] = useState<string | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const messages = useQuery({ queryKey: ['member-messages', member], queryFn: () => m.fetchMemberMessages(member ?? ''), enabled: Boolean(member) });
  return (
    <Stack>
      <form onSubmit={(e) => (e.preventDefault(), setMember(ref.trim() || null))}>
        <Group align="end">
          <TextInput label={t('messaging.memberRef')} placeholder="ext:E-77" value={ref} onChange={(e) => setRef(e.currentTarget.value)} />
          <Button type="submit" variant="default">{t('messaging.show')}</Button>
        </Group>
      </form>
      <ErrorAlert error={messages.error} />
      <Table>
        <Table.Tbody>
          {(messages.data ?? []).map((x) => (
            <Fragment key={x.id}>
              <Table.Tr style={{ cursor: 'pointer' }} onClick={() => setOpen(open === x.id ? null : x.id)}>
                <Table.Td>{f.dateTime(x.createdAt)}</Table.Td>
                <Table.Td>{x.channel}</Table.Td>
                <Table.Td className="mono">{x.templateKey}</Table.Td>
                <Table.Td>{x.subject ?? ''}</Table.Td>
                <Table.Td>
                  <Badge variant="light" color={statusColor(x.status)}>{t(`messaging.statuses.${x.status}`)}</Badge>
                  {x.reason ? <Text size="xs" c="dimmed">{x.reason}</Text> : null}
                </Table.Td>
              </Table.Tr>
              {open === x.id ? (
                <Table.Tr>
                  <Table.Td colSpan={5}>
                    <Timeline id={x.id} />
                  </Table.Td>
                </Table.Tr>
              ) : null}
            </Fragment>
          ))}
        </Table.Tbody>
      </Table>
      {messages.data && !messages.data.length ? <Text c="dimmed">{t('messaging.noMessages')}</Text> : null}
    </Stack>
  );
}

function CampaignRow({ c }: { c: m.CampaignView }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const qc = useQueryClient();
  const refresh = () => qc.invalidateQueries({ queryKey: ['campaigns'] });
  const preview = useMutation({ mutationFn: () => m.previewCampaign(c.id) });
  const send = useMutation({ mutationFn: () => m.sendCampaign(c.id), onSuccess: refresh });
  const cancel = useMutation({ mutationFn: () => m.cancelCampaign(c.id), onSuccess: refresh });
  const reach = useQuery({ queryKey: ['reach', c.id], queryFn: () => m.fetchReach(c.id), enabled: c.status === 'sent' });
  const write = can('messaging:write');
  return (
    <Card withBorder>
      <Group justify="space-between">
        <div>
          <Text fw={600}>{c.name}</Text>
          <Text size="sm" c="dimmed" className="mono">{c.templateKey} · {Array.isArray(c.channels) ? c.channels.join(', ') : t('messaging.preferred')} · {t(`messaging.categories.${c.category}`)}</Text>
        </div>
        <Group gap="xs">
          <Badge variant="light">{t(`messaging.campaignStatuses.${c.status}`)}</Badge>
          {c.status === 'draft' || c.status === 'scheduled' ? <Button size="xs" variant="default" onClick={() => preview.mutate()} loading={preview.isPending}>{t('messaging.audiencePreview')}</Button> : null}
          {write && c.status === 'draft' ? <Button size="xs" onClick={() => window.confirm(t('messaging.confirmSend', { name: c.name })) && send.mutate()} loading={send.isPending}>{t('messaging.send')}</Button> : null}
          {write && (c.status === 'draft' || c.status === 'scheduled') ? <Button size="xs" variant="light" color="red.8" onClick={() => cancel.mutate()}>{t('common.cancel')}</Button> : null}
        </Group>
      </Group>
      <ErrorAlert error={preview.error ?? send.error ?? cancel.error ?? reach.error} />
      {preview.data ? (
        <Text size="sm">
          {t('messaging.previewLine', { recipients: preview.data.recipients, channels: Object.entries(preview.data.byChannel).map(([k, v]) => `${k} ${v}`).join(', ') || '—', ...preview.data.excluded })}
        </Text>
      ) : null}
      {reach.data ? <ReachReport campaign={c} reach={reach.data} /> : null}
    </Card>
  );
}

function Campaigns() {
  const { t } = useTranslation();
  const { can } = useSession();
  const qc = useQueryClient();
  const campaigns = useQuery({ queryKey: ['campaigns'], queryFn: m.fetchCampaigns });
  const create = useMutation({ mutationFn: m.createCampaign, onSuccess: () => qc.invalidateQueries({ queryKey: ['campaigns'] }) });
  const offers = useQuery({ queryKey: ['campaign-offers'], queryFn: m.fetchOfferChoices, enabled: can('messaging:write') });
  const [v, setV] = useState({ name: '', templateKey: '', roles: '', channels: [] as string[], category: 'marketing', ruleId: '', rewardId: '', actedWithinDays: 30, filter: '' });
  const [filterError, setFilterError] = useState<string | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const roles = v.roles.split(',').map((x) => x.trim()).filter(Boolean);
    let filter: Record<string, unknown> | undefined;
    setFilterError(null);
    if (v.filter.trim()) {
      try {
        const parsed: unknown = JSON.parse(v.filter);
        if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
        filter = parsed as Record<string, unknown>;
      } catch {
        setFilterError(t('messaging.filterNotJson'));
        return;
      }
    }
    const offer = v.ruleId || v.rewardId ? { ...(v.ruleId ? { ruleId: v.ruleId } : {}), ...(v.rewardId ? { rewardId: v.rewardId } : {}) } : undefined;
    create.mutate({
      name: v.name.trim(),
      templateKey: v.templateKey.trim(),
      audience: { ...(roles.length ? { roles } : {}), ...(filter ? { filter } : {}) },
      channels: v.channels.length ? (v.channels as m.CampaignInput['channels']) : 'preferred',
      category: v.category as 'marketing',
      ...(offer ? { offer } : {}),
      actedWithinDays: v.actedWithinDays,
    });
  };
  return (
    <Stack>
      {can('messaging:write') ? (
        <Card withBorder maw={760}>
          <form onSubmit={submit} noValidate>
            <Stack gap="sm">
              <Group grow>
                <TextInput label={t('messaging.name')} value={v.name} onChange={(e) => setV({ ...v, name: e.currentTarget.value })} required />
                <TextInput label={t('messaging.templateKey')} value={v.templateKey} onChange={(e) => setV({ ...v, templateKey: e.currentTarget.value })} required />
              </Group>
              <Group grow>
                <TextInput label={t('messaging.roles')} placeholder="foreman, purchasing" value={v.roles} onChange={(e) => setV({ ...v, roles: e.currentTarget.value })} />
                <MultiSelect label={t('messaging.channels')} placeholder={t('messaging.preferred')} data={[...MEDIA]} value={v.channels} onChange={(x) => setV({ ...v, channels: x })} />
                <Select label={t('messaging.category')} data={['marketing', 'transactional'].map((x) => ({ value: x, label: t(`messaging.categories.${x}`) }))} value={v.category} onChange={(x) => setV({ ...v, category: x ?? 'marketing' })} allowDeselect={false} />
              </Group>
              <Group grow>
                <Select label={t('messaging.offerRule')} placeholder={t('messaging.offerNone')} clearable searchable data={(offers.data?.rules ?? []).map((r) => ({ value: r.id, label: r.name }))} value={v.ruleId || null} onChange={(x) => setV({ ...v, ruleId: x ?? '' })} />
                <Select label={t('messaging.offerReward')} placeholder={t('messaging.offerNone')} clearable searchable data={(offers.data?.rewards ?? []).map((r) => ({ value: r.id, label: r.name }))} value={v.rewardId || null} onChange={(x) => setV({ ...v, rewardId: x ?? '' })} />
                <NumberInput label={t('messaging.actedWithinDays')} description={t('messaging.actedWithinDaysHelp')} min={1} max={365} allowDecimal={false} value={v.actedWithinDays} onChange={(x) => setV({ ...v, actedWithinDays: typeof x === 'number' ? x : 30 })} />
              </Group>
              <Textarea label={t('messaging.audienceFilter')} description={t('messaging.audienceFilterHelp')} placeholder='{"==": [{"var": "account.region"}, "north"]}' autosize minRows={2} className="mono" value={v.filter} onChange={(e) => setV({ ...v, filter: e.currentTarget.value })} error={filterError} />
              <ErrorAlert error={create.error} />
              <Button type="submit" loading={create.isPending} w="fit-content">{t('messaging.createCampaign')}</Button>
            </Stack>
          </form>
        </Card>
      ) : null}
      <ErrorAlert error={campaigns.error} />
      {(campaigns.data ?? []).map((c) => <CampaignRow key={c.id} c={c} />)}
      {campaigns.data && !campaigns.data.length ? <Text c="dimmed">{t('messaging.noCampaigns')}</Text> : null}
    </Stack>
  );
}

/** Messaging: channels, templates with preview, campaigns with audience preview and reach, the message log of a member, the development mailbox. */
export function MessagingPage() {
  const { t } = useTranslation();
  return (
    <Page title={t('nav.messaging')}>
      <Tabs defaultValue="campaigns" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="campaigns">{t('messaging.tabs.campaigns')}</Tabs.Tab>
          <Tabs.Tab value="templates">{t('messaging.tabs.templates')}</Tabs.Tab>
          <Tabs.Tab value="channels">{t('messaging.tabs.channels')}</Tabs.Tab>
          <Tabs.Tab value="log">{t('messaging.tabs.log')}</Tabs.Tab>
          <Tabs.Tab value="dev">{t('messaging.tabs.devMailbox')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="campaigns" pt="md"><Campaigns /></Tabs.Panel>
        <Tabs.Panel value="templates" pt="md"><Templates /></Tabs.Panel>
        <Tabs.Panel value="channels" pt="md"><Channels /></Tabs.Panel>
        <Tabs.Panel value="log" pt="md"><MemberMessages /></Tabs.Panel>
        <Tabs.Panel value="dev" pt="md"><DevMailbox /></Tabs.Panel>
      </Tabs>
    </Page>
  );
}
