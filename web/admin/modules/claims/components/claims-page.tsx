import { Anchor, Badge, Button, Card, Checkbox, Group, Image, NumberInput, SegmentedControl, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useFormat } from '@shared/format/use-format';
import { useSession } from '../../auth/components/session-provider';
import { useAmountFormat } from '../../program/hooks/use-program';
import { CursorPager } from '../../ui/components/cursor-pager';
import { ErrorAlert } from '../../ui/components/error-alert';
import { Page } from '../../ui/components/page';
import { useCursorPages } from '../../ui/hooks/use-cursor-pages';
import { documentUrl, fetchPayoutCsv, type ClaimStatus, type ClaimView } from '../api/claims-api';
import { bulkApprovalBlock } from '@contracts/claims';
import { useAddValidSerials, useBulkApprove, useClaimAction, useClaims, useDocumentDecision } from '../hooks/use-claims';

/** A sales claim the bulk approval takes: submitted, nothing flagged, every serial on the valid list. */
const verified = (c: ClaimView) => bulkApprovalBlock(c) === null;

const STATUSES = ['submitted', 'info_requested', 'approved', 'paid', 'rejected', 'draft'] as const;

/** One claim in the review queue: what was claimed, the rule's amount, the proofs side by side with the duplicate flags, and the decisions. */
function ClaimCard({ c }: { c: ClaimView }) {
  const { t } = useTranslation();
  const f = useFormat();
  const amount = useAmountFormat();
  const { can } = useSession();
  const act = useClaimAction();
  const decide = useDocumentDecision();
  const [partial, setPartial] = useState<number | string>('');
  const [note, setNote] = useState('');
  const money = (n: number | null) => (n === null ? '—' : c.currency ? amount(n, c.currency) : f.number(n));
  const busy = (a: string) => act.isPending && act.variables?.id === c.id && act.variables.action === a;
  const write = can('claims:write');
  return (
    <Card withBorder padding="md" data-testid={`claim-${c.id}`}>
      <Stack gap="xs">
        <Group justify="space-between" wrap="nowrap">
          <div>
            <Title order={4}>
              {c.kind === 'mdf' ? t('claims.mdf') : t('claims.sale')} · <Anchor component={Link} to={`/accounts/${c.accountId}`}>{c.accountName}</Anchor>
            </Title>
            <Text size="sm" c="dimmed">
              {c.id} · {f.dateTime(c.createdAt)}
            </Text>
          </div>
          <Badge variant="light">{t(`claims.statuses.${c.status}`)}</Badge>
        </Group>
        {c.activity ? (
          <Text size="sm">
            {c.activity.type}: {c.activity.description}
          </Text>
        ) : null}
        {c.invoice ? (
          <Text size="sm">
            {t('claims.invoice', { number: c.invoice.number, date: f.date(c.invoice.date) })} · {f.number(c.invoice.lines.reduce((s, l) => s + l.qty, 0))} {t('claims.units')} · {c.invoice.lines.map((l) => l.sku).join(', ')}
          </Text>
        ) : null}
        <Group gap="lg">
          {c.cost !== null ? <Text size="sm">{t('claims.cost')}: {money(c.cost)}</Text> : null}
          {c.manufacturersShown !== null ? <Text size="sm">{t('claims.manufacturersShown')}: {c.manufacturersShown}</Text> : null}
          {c.reimbursement !== null ? <Text size="sm" fw={600}>{t('claims.rule')}: {money(c.reimbursement)}</Text> : null}
          {c.approvedAmount !== null ? <Text size="sm" fw={600}>{t('claims.approved')}: {money(c.approvedAmount)}</Text> : null}
        </Group>
        <Group gap={6}>
          {c.serialCheck ? (
            <Badge color={c.serialCheck.unknown.length ? 'red' : 'green'} variant="light">
              {c.serialCheck.unknown.length ? t('claims.serialsUnknown', { serials: c.serialCheck.unknown.join(', ') }) : t('claims.serialsVerified', { verified: c.serialCheck.verified })}
            </Badge>
          ) : null}
          {c.dueAt && ['draft', 'info_requested'].includes(c.status) ? <Badge variant="outline">{t('claims.dueAt', { date: f.date(c.dueAt) })}</Badge> : null}
        </Group>
        {c.flags.length ? (
          <Group gap={6}>
            {c.flags.map((fl) => (
              <Badge key={`${fl.kind}-${fl.claimId}-${fl.detail ?? ''}`} color="orange" variant="filled" title={fl.detail}>
                {t(`claims.flags.${fl.kind}`, { claim: fl.claimId })}
              </Badge>
            ))}
          </Group>
        ) : null}
        {c.documents.length ? (
          <Group gap="sm" align="flex-start">
            {c.documents.map((d) => (
              <Stack key={d.documentId} gap={4} w={170}>
                <Anchor href={documentUrl(c.id, d.documentId)} target="_blank" rel="noopener" size="sm">
                  {d.contentType.startsWith('image/') ? <Image src={documentUrl(c.id, d.documentId, true)} alt={d.fileName} h={110} fit="contain" /> : d.fileName}
                </Anchor>
                <Text size="xs" c="dimmed">
                  {t(`claims.decisions.${d.decision}`)}
                </Text>
                {write && d.decision === 'pending' ? (
                  <Group gap={4}>
                    <Button size="compact-xs" variant="default" onClick={() => decide.mutate({ id: c.id, documentId: d.documentId, decision: 'accepted' })}>
                      {t('claims.accept')}
                    </Button>
                    <Button size="compact-xs" variant="default" color="red" onClick={() => decide.mutate({ id: c.id, documentId: d.documentId, decision: 'refused' })}>
                      {t('claims.refuse')}
                    </Button>
                  </Group>
                ) : null}
              </Stack>
            ))}
          </Group>
        ) : (
          <Text size="sm" c="dimmed">{t('claims.noDocuments')}</Text>
        )}
        {c.note ? <Text size="sm" fs="italic">{c.note}</Text> : null}
        <ErrorAlert error={act.variables?.id === c.id ? act.error : null} />
        {write && c.status === 'submitted' ? (
          <Group gap="xs" align="flex-end">
            <Button size="xs" onClick={() => act.mutate({ id: c.id, action: 'approve', body: partial === '' ? {} : { amount: Number(partial) } })} loading={busy('approve')}>
              {t('claims.approve')}
            </Button>
            {c.kind === 'mdf' ? <NumberInput size="xs" w={170} label={t('claims.partial')} value={partial} onChange={setPartial} min={0} allowDecimal={false} /> : null}
            <TextInput size="xs" w={260} label={t('claims.noteLabel')} value={note} onChange={(e) => setNote(e.currentTarget.value)} />
            <Button size="xs" variant="default" disabled={!note.trim()} onClick={() => act.mutate({ id: c.id, action: 'request-info', body: { message: note.trim() } })} loading={busy('request-info')}>
              {t('claims.requestInfo')}
            </Button>
            <Button size="xs" variant="default" color="red" disabled={!note.trim()} onClick={() => act.mutate({ id: c.id, action: 'reject', body: { reason: note.trim() } })} loading={busy('reject')}>
              {t('claims.reject')}
            </Button>
          </Group>
        ) : null}
        {write && c.status === 'approved' && c.kind === 'mdf' ? (
          <Group gap="xs">
            <Button size="xs" onClick={() => act.mutate({ id: c.id, action: 'pay', body: { method: 'credit_note' } })} loading={busy('pay')}>
              {t('claims.payCreditNote')}
            </Button>
            <Button size="xs" variant="default" onClick={() => act.mutate({ id: c.id, action: 'pay', body: { method: 'store_credit' } })} loading={busy('pay')}>
              {t('claims.payStoreCredit')}
            </Button>
          </Group>
        ) : null}
      </Stack>
    </Card>
  );
}

/** The supplier's list of serials it sold, pasted or read from a file: "serial" or "serial,sku" per line. */
function ValidSerials() {
  const { t } = useTranslation();
  const add = useAddValidSerials();
  const [text, setText] = useState('');
  const serials = text
    .split(/\r?\n/)
    .map((line) => line.split(/[,;\t]/).map((x) => x.trim()))
    .filter(([serial]) => serial)
    .map(([serial, sku]) => (sku ? { serial, sku } : { serial }));
  return (
    <Card withBorder padding="sm">
      <Stack gap="xs">
        <Title order={5}>{t('claims.serialsTitle')}</Title>
        <Text size="sm" c="dimmed">
          {t('claims.serialsHelp')}
        </Text>
        <Textarea aria-label={t('claims.serialsTitle')} autosize minRows={2} maxRows={8} value={text} onChange={(e) => setText(e.currentTarget.value)} placeholder={'SN-10001,WT-200\nSN-10002'} />
        <ErrorAlert error={add.error} />
        <Group>
          <Button size="xs" variant="default" disabled={!serials.length} loading={add.isPending} onClick={() => add.mutate(serials, { onSuccess: () => setText('') })}>
            {t('claims.serialsUpload')}
          </Button>
          {add.data ? <Text size="sm">{t('claims.serialsAdded', add.data)}</Text> : null}
        </Group>
      </Stack>
    </Card>
  );
}

/** The claims review queue: filter by state and by duplicate flags, decide per document and per claim, export the paid ones for the ERP. */
export function ClaimsPage() {
  const { t } = useTranslation();
  const [status, setStatus] = useState<string>('submitted');
  const [flagged, setFlagged] = useState(false);
  const pages = useCursorPages();
  const { reset } = pages;
  useEffect(() => reset(), [status, flagged, reset]);
  const claims = useClaims(STATUSES.find((s) => s === status) as ClaimStatus | undefined, flagged, pages.cursor);
  const items = claims.data?.items ?? [];
  const { can } = useSession();
  const bulk = useBulkApprove();
  const good = items.filter(verified).map((c) => c.id);
  const exportPaid = async () => {
    const blob = await fetchPayoutCsv();
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = 'claims-paid.csv';
    a.click();
    URL.revokeObjectURL(a.href);
  };
  return (
    <Page title={t('claims.title')}>
      <Text size="sm" c="dimmed">
        {t('claims.intro')}
      </Text>
      <Group justify="space-between">
        <Group>
          <SegmentedControl aria-label={t('claims.status')} value={status} onChange={setStatus} data={[...STATUSES.map((s) => ({ value: s, label: t(`claims.statuses.${s}`) })), { value: 'all', label: t('claims.all') }]} />
          <Checkbox label={t('claims.onlyFlagged')} checked={flagged} onChange={(e) => setFlagged(e.currentTarget.checked)} />
        </Group>
        <Button variant="default" size="xs" onClick={exportPaid}>
          {t('claims.export')}
        </Button>
      </Group>
      {can('claims:write') ? (
        <Group>
          <Button size="xs" disabled={!good.length} loading={bulk.isPending} onClick={() => bulk.mutate(good)}>
            {t('claims.approveVerified', { count: good.length })}
          </Button>
          {bulk.data ? <Text size="sm">{t('claims.bulkResult', { approved: bulk.data.approved.length, skipped: bulk.data.skipped.length })}</Text> : null}
        </Group>
      ) : null}
      <ErrorAlert error={claims.error ?? bulk.error} />
      <Stack gap="sm">
        {items.map((c) => (
          <ClaimCard key={c.id} c={c} />
        ))}
        {!items.length && !claims.isLoading ? <Text c="dimmed">{t('common.noResults')}</Text> : null}
        <CursorPager pages={pages} nextCursor={claims.data?.nextCursor} count={items.length} />
      </Stack>
      {can('claims:write') ? <ValidSerials /> : null}
    </Page>
  );
}
