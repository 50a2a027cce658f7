import { Badge, Button, Card, Group, Progress, Select, SimpleGrid, Stack, Table, Text, Textarea, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { grantInput } from '@contracts/grants';
import { newIdempotencyKey } from '@shared/api/client';
import { moneyDigits } from '@shared/format/format';
import { useAmountInput } from '@shared/format/use-amount-input';
import { useFormat } from '@shared/format/use-format';
import { useSession } from '../../auth/components/session-provider';
import { useAmountFormat, useProgram } from '../../program/hooks/use-program';
import { ErrorAlert } from '../../ui/components/error-alert';
import { Page } from '../../ui/components/page';
import type { GrantInput, GrantView } from '../api/grants-api';
import { useCreateGrant, useGrantPreview, useGrants, useRecipients } from '../hooks/use-grants';

type Values = { recipients: 'accounts' | 'members'; tier: string; segments: string; types: string; regions: string; roles: string; externalIds: string; currency: string; amount: string; memo: string };
const list = (s: string) => s.split(/[,\n]/).map((x) => x.trim()).filter(Boolean);

function Recipients({ grant }: { grant: GrantView }) {
  const { t } = useTranslation();
  const amount = useAmountFormat();
  const [cursors, setCursors] = useState<string[]>([]);
  const r = useRecipients(grant.id, cursors[cursors.length - 1]);
  if (r.error) return <ErrorAlert error={r.error} />;
  return (
    <Stack gap="xs">
      <Table.ScrollContainer minWidth={600}>
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('grants.externalId')}</Table.Th>
              <Table.Th>{t('grants.outcome')}</Table.Th>
              <Table.Th>{t('grants.amount')}</Table.Th>
              <Table.Th>{t('grants.transaction')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(r.data?.items ?? []).map((x) => (
              <Table.Tr key={`${x.externalId}-${x.ownerId ?? ''}`}>
                <Table.Td className="mono">{x.externalId}</Table.Td>
                <Table.Td>
                  <Badge variant="light" color={x.outcome === 'granted' ? 'teal' : x.outcome === 'pending' ? 'blue' : 'gray'}>{t(`grants.outcomes.${x.outcome}`)}</Badge>
                  {x.reason ? <Text size="xs" c="dimmed">{t(`grants.reasons.${x.reason}`)}</Text> : null}
                </Table.Td>
                <Table.Td>{amount(x.amount, grant.currency)}</Table.Td>
                <Table.Td className="mono">{x.transactionId ?? '—'}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Group gap="xs">
        <Button variant="default" size="xs" disabled={!cursors.length} onClick={() => setCursors((c) => c.slice(0, -1))}>{t('grants.previous')}</Button>
        <Button variant="default" size="xs" disabled={!r.data?.nextCursor} onClick={() => r.data?.nextCursor && setCursors((c) => [...c, r.data!.nextCursor!])}>{t('grants.nextPage')}</Button>
      </Group>
    </Stack>
  );
}

export function GrantsPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const f = useFormat();
  const amountFormat = useAmountFormat();
  const amountInput = useAmountInput();
  const program = useProgram().data;
  const grants = useGrants();
  const create = useCreateGrant();
  const [open, setOpen] = useState<string | null>(null);
  const initial: Values = { recipients: 'accounts', tier: '', segments: '', types: '', regions: '', roles: '', externalIds: '', currency: '', amount: '', memo: '' };
  const [values, setValues] = useState<Values>(initial);
  const set = <K extends keyof Values>(k: K, v: Values[K]) => setValues((x) => ({ ...x, [k]: v }));
  // One key per intended grant: a retry after a network error replays instead of granting again.
  const key = useRef(newIdempotencyKey());
  const currencies = program?.currencies ?? [];
  const currency = values.currency || currencies[0]?.code || '';
  const c = currencies.find((x) => x.code === currency);

  const toBody = (v: Values): unknown => {
    const a = amountInput.parse(v.amount, moneyDigits(c), c?.moneyCurrency ?? currency);
    const select: Record<string, unknown> = {};
    if (v.tier.trim()) select.tier = v.tier.trim();
    for (const k of ['segments', 'types', 'regions', 'roles', 'externalIds'] as const) if (list(v[k]).length) select[k] = list(v[k]);
    return { recipients: v.recipients, select, currency, amount: 'amount' in a ? a.amount : Number.NaN, memo: v.memo.trim() };
  };
  const parsed = grantInput.safeParse(toBody(values));
  const [debounced] = useDebouncedValue(parsed.success ? (parsed.data as GrantInput) : null, 400);
  const preview = useGrantPreview(debounced);
  const errors: Record<string, string> = {};
  if (!parsed.success) for (const i of parsed.error.issues) errors[i.path.join('.')] ??= i.message;

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!parsed.success || !preview.data) return;
    if (!window.confirm(t('grants.confirm', { count: preview.data.count, cost: amountFormat(preview.data.cost[0]?.amount ?? 0, currency) }))) return;
    const g = await create.mutateAsync({ body: parsed.data as GrantInput, key: key.current });
    key.current = newIdempotencyKey();
    setValues(initial);
    setOpen(g.id);
  }

  return (
    <Page title={t('grants.title')}>
      <Text size="sm" c="dimmed">{t('grants.intro')}</Text>
      {can('grants:write') ? (
        <Card withBorder maw={900}>
          <form onSubmit={(e) => void submit(e).catch(() => undefined)} noValidate>
            <Stack gap="sm">
              <Text fw={600}>{t('grants.new')}</Text>
              <Group grow>
                <Select label={t('grants.recipients')} data={[{ value: 'accounts', label: t('grants.accounts') }, { value: 'members', label: t('grants.members') }]} value={values.recipients} onChange={(v) => v && set('recipients', v as Values['recipients'])} allowDeselect={false} />
                <Select label={t('grants.currency')} data={currencies.map((x) => ({ value: x.code, label: `${x.name} (${x.code})` }))} value={currency || null} onChange={(v) => v && set('currency', v)} allowDeselect={false} />
                <TextInput label={t('grants.amountEach')} value={values.amount} onChange={(e) => set('amount', e.currentTarget.value)} error={values.amount ? errors.amount : undefined} required />
              </Group>
              <SimpleGrid cols={{ base: 1, sm: 3 }}>
                <TextInput label={t('grants.tier')} value={values.tier} onChange={(e) => set('tier', e.currentTarget.value)} />
                <TextInput label={t('grants.segments')} value={values.segments} onChange={(e) => set('segments', e.currentTarget.value)} />
                <TextInput label={t('grants.types')} value={values.types} onChange={(e) => set('types', e.currentTarget.value)} />
                <TextInput label={t('grants.regions')} value={values.regions} onChange={(e) => set('regions', e.currentTarget.value)} />
                {values.recipients === 'members' ? <TextInput label={t('grants.roles')} value={values.roles} onChange={(e) => set('roles', e.currentTarget.value)} /> : null}
              </SimpleGrid>
              <Textarea label={t('grants.externalIds')} description={t('grants.externalIdsHint')} autosize minRows={2} maxRows={8} value={values.externalIds} onChange={(e) => set('externalIds', e.currentTarget.value)} />
              <TextInput label={t('grants.memo')} value={values.memo} onChange={(e) => set('memo', e.currentTarget.value)} required />
              <Card withBorder bg="var(--mantine-color-gray-light)" aria-live="polite">
                {!debounced ? (
                  <Text size="sm" c="dimmed">{errors.select ? t('grants.needSelection') : t('grants.fillIn')}</Text>
                ) : preview.error ? (
                  <ErrorAlert error={preview.error} />
                ) : preview.data ? (
                  <Stack gap={4}>
                    <Text size="sm" fw={600}>{t('grants.previewText', { count: f.number(preview.data.count), cost: preview.data.cost.map((x) => amountFormat(x.amount, x.currency)).join(', ') })}</Text>
                    {preview.data.excluded.total ? (
                      <>
                        <Text size="sm">{t('grants.excludedText', { count: f.number(preview.data.excluded.total) })}</Text>
                        {preview.data.excluded.byReason.map((r) => (
                          <Text key={r.reason} size="xs" c="dimmed">{t(`grants.reasons.${r.reason}`)}: {f.number(r.count)}</Text>
                        ))}
                        <Text size="xs" c="dimmed" className="mono">{preview.data.excluded.sample.slice(0, 10).map((s) => s.externalId).join(', ')}</Text>
                      </>
                    ) : null}
                  </Stack>
                ) : (
                  <Text size="sm" c="dimmed">…</Text>
                )}
              </Card>
              <ErrorAlert error={create.error} />
              <Button type="submit" w="fit-content" loading={create.isPending} disabled={!parsed.success || !preview.data?.count}>{t('grants.run')}</Button>
            </Stack>
          </form>
        </Card>
      ) : null}
      <ErrorAlert error={grants.error} />
      <Stack gap="sm">
        {(grants.data ?? []).map((g) => (
          <Card key={g.id} withBorder>
            <Stack gap="xs">
              <Group justify="space-between">
                <div>
                  <Text fw={600}>{g.memo}</Text>
                  <Text size="sm" c="dimmed">
                    {t(`grants.${g.recipients}`)} · {amountFormat(g.amount, g.currency)} · {t('grants.costText', { cost: g.cost.map((x) => amountFormat(x.amount, x.currency)).join(', ') })} · {f.dateTime(g.createdAt)}
                  </Text>
                </div>
                <Badge variant="light" color={g.status === 'completed' ? 'teal' : g.status === 'failed' ? 'red' : 'blue'}>{t(`grants.statuses.${g.status}`)}</Badge>
              </Group>
              <Progress value={g.count ? (100 * g.processed) / g.count : 0} aria-label={t('grants.progress')} animated={g.status === 'running' || g.status === 'queued'} />
              <Text size="xs" c="dimmed">{t('grants.progressText', { processed: f.number(g.processed), count: f.number(g.count), excluded: f.number(g.excluded) })}</Text>
              {g.error ? <Text size="sm" c="red">{g.error}</Text> : null}
              <Button variant="subtle" size="xs" w="fit-content" onClick={() => setOpen(open === g.id ? null : g.id)}>{t(open === g.id ? 'grants.hideRecipients' : 'grants.showRecipients')}</Button>
              {open === g.id ? <Recipients grant={g} /> : null}
            </Stack>
          </Card>
        ))}
        {grants.data && !grants.data.length ? <Text c="dimmed">{t('grants.none')}</Text> : null}
      </Stack>
    </Page>
  );
}
