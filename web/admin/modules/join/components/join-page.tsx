import { Anchor, Badge, Button, Card, Group, Modal, SegmentedControl, Stack, Switch, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '@shared/format/use-format';
import { useSession } from '../../auth/components/session-provider';
import { ErrorAlert } from '../../ui/components/error-alert';
import { Page } from '../../ui/components/page';
import { decideJoinRequest, fetchAccountJoinLink, fetchJoinRequests, fetchJoinSettings, saveJoinSettings, svgSrc, type JoinLink, type JoinRequestView } from '../api/join-api';

/** The QR code of a join address, printable, with the address under it. */
function Qr({ svg, url, label }: { svg: string; url: string; label: string }) {
  return (
    <Stack gap={4} align="flex-start">
      <img src={svgSrc(svg)} alt={label} width={180} height={180} data-testid="join-qr" />
      <Anchor href={url} target="_blank" rel="noreferrer" size="sm" style={{ wordBreak: 'break-all' }}>{url}</Anchor>
    </Stack>
  );
}

function Settings() {
  const { t } = useTranslation();
  const { can } = useSession();
  const qc = useQueryClient();
  const settings = useQuery({ queryKey: ['join-settings'], queryFn: fetchJoinSettings });
  const save = useMutation({ mutationFn: saveJoinSettings, onSuccess: (s) => qc.setQueryData(['join-settings'], s) });
  if (!settings.data) return settings.error ? <ErrorAlert error={settings.error} /> : null;
  const s = settings.data;
  const put = (patch: Partial<{ enabled: boolean; accountLinks: boolean; emailDomain: boolean }>) =>
    save.mutate({ enabled: patch.enabled ?? s.enabled, autoApprove: { accountLinks: patch.accountLinks ?? s.autoApprove.accountLinks, emailDomain: patch.emailDomain ?? s.autoApprove.emailDomain }, roles: s.roles });
  const editable = can('join:write');
  return (
    <Card withBorder>
      <Group align="flex-start" justify="space-between" wrap="wrap">
        <Stack gap="sm" style={{ flex: 1, minWidth: 260 }}>
          <Title order={2} size="h4">{t('join.settings')}</Title>
          <Switch label={t('join.enabled')} checked={s.enabled} disabled={!editable} onChange={(e) => put({ enabled: e.currentTarget.checked })} data-testid="join-enabled" />
          <Text size="sm" fw={600}>{t('join.autoApprove')}</Text>
          <Switch label={t('join.autoAccountLinks')} checked={s.autoApprove.accountLinks} disabled={!editable} onChange={(e) => put({ accountLinks: e.currentTarget.checked })} />
          <Switch label={t('join.autoEmailDomain')} checked={s.autoApprove.emailDomain} disabled={!editable} onChange={(e) => put({ emailDomain: e.currentTarget.checked })} />
          <Text size="sm" c="dimmed">{t('join.autoHint')}</Text>
          {save.error ? <ErrorAlert error={save.error} /> : null}
        </Stack>
        {s.enabled ? <Qr svg={s.qrSvg} url={s.url} label={t('join.qrProgram')} /> : <Text c="dimmed">{t('join.off')}</Text>}
      </Group>
    </Card>
  );
}

function AccountLink() {
  const { t } = useTranslation();
  const [ref, setRef] = useState('');
  const [link, setLink] = useState<JoinLink | null>(null);
  const get = useMutation({ mutationFn: fetchAccountJoinLink, onSuccess: setLink });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (ref.trim()) get.mutate(ref.trim().startsWith('acc_') ? ref.trim() : `ext:${ref.trim()}`);
  };
  return (
    <Card withBorder>
      <Title order={2} size="h4">{t('join.accountLink')}</Title>
      <Text size="sm" c="dimmed">{t('join.accountLinkHint')}</Text>
      <form onSubmit={submit}>
        <Group align="flex-end" mt="sm">
          <TextInput label={t('join.companyCode')} value={ref} onChange={(e) => setRef(e.currentTarget.value)} />
          <Button type="submit" loading={get.isPending}>{t('join.showQr')}</Button>
        </Group>
      </form>
      {get.error ? <ErrorAlert error={get.error} /> : null}
      {link ? (
        <Stack mt="sm" gap={4}>
          <Text fw={600}>{link.accountName}</Text>
          <Qr svg={link.qrSvg} url={link.url} label={t('join.qrAccount', { name: link.accountName })} />
        </Stack>
      ) : null}
    </Card>
  );
}

function Decide({ r, action, onClose }: { r: JoinRequestView; action: 'approve' | 'reject'; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [reason, setReason] = useState('');
  const decide = useMutation({
    mutationFn: () => decideJoinRequest(r.id, action, reason.trim() || undefined),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['join-requests'] });
      onClose();
    },
  });
  return (
    <Modal opened onClose={onClose} title={t(`join.confirm.${action}`, { name: r.name, company: r.accountName })}>
      <Stack>
        <Text size="sm">{t(`join.confirm.${action}Body`)}</Text>
        {action === 'reject' ? <Textarea label={t('join.reason')} value={reason} onChange={(e) => setReason(e.currentTarget.value)} maxLength={500} /> : null}
        {decide.error ? <ErrorAlert error={decide.error} /> : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>{t('common.cancel')}</Button>
          <Button color={action === 'reject' ? 'red' : undefined} loading={decide.isPending} onClick={() => decide.mutate()} data-testid={`join-confirm-${action}`}>{t(`join.${action}`)}</Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** Join by QR (#17): the program's join page, its QR codes, and the requests waiting for a decision. */
export function JoinPage() {
  const { t } = useTranslation();
  const f = useFormat();
  const { can } = useSession();
  const [status, setStatus] = useState('pending');
  const [deciding, setDeciding] = useState<{ r: JoinRequestView; action: 'approve' | 'reject' } | null>(null);
  const list = useQuery({ queryKey: ['join-requests', status], queryFn: () => fetchJoinRequests(status) });
  return (
    <Page title={t('join.title')}>
      <Settings />
      <AccountLink />
      <Card withBorder>
        <Group justify="space-between" wrap="wrap">
          <Title order={2} size="h4">{t('join.requests')}</Title>
          <SegmentedControl value={status} onChange={setStatus} data={['pending', 'approved', 'rejected', ''].map((s) => ({ value: s, label: t(`join.status.${s || 'all'}`) }))} />
        </Group>
        {list.error ? <ErrorAlert error={list.error} /> : null}
        <Table.ScrollContainer minWidth={700}>
          <Table data-testid="join-requests">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('join.name')}</Table.Th>
                <Table.Th>{t('join.contact')}</Table.Th>
                <Table.Th>{t('join.role')}</Table.Th>
                <Table.Th>{t('join.company')}</Table.Th>
                <Table.Th>{t('join.received')}</Table.Th>
                <Table.Th>{t('join.statusLabel')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(list.data?.items ?? []).map((r) => (
                <Table.Tr key={r.id} data-request={r.name}>
                  <Table.Td>{r.name}</Table.Td>
                  <Table.Td>{[r.email, r.phone].filter(Boolean).join(' · ')}</Table.Td>
                  <Table.Td>{r.role}</Table.Td>
                  <Table.Td>{r.accountName}{r.via === 'account' ? <Badge ml="xs" variant="light">{t('join.viaAccount')}</Badge> : null}</Table.Td>
                  <Table.Td>{f.dateTime(r.createdAt)}</Table.Td>
                  <Table.Td><Badge color={r.status === 'approved' ? 'green' : r.status === 'rejected' ? 'red' : 'yellow'}>{t(`join.status.${r.status}`)}</Badge></Table.Td>
                  <Table.Td>
                    {r.status === 'pending' && can('join:write') ? (
                      <Group gap="xs" wrap="nowrap">
                        <Button size="xs" onClick={() => setDeciding({ r, action: 'approve' })}>{t('join.approve')}</Button>
                        <Button size="xs" variant="default" onClick={() => setDeciding({ r, action: 'reject' })}>{t('join.reject')}</Button>
                      </Group>
                    ) : null}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        {list.data && !list.data.items.length ? <Text c="dimmed" mt="sm">{t('join.none')}</Text> : null}
      </Card>
      {deciding ? <Decide r={deciding.r} action={deciding.action} onClose={() => setDeciding(null)} /> : null}
    </Page>
  );
}
