import { Alert, Badge, Button, Card, Code, Group, MultiSelect, Stack, Switch, Table, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { WEBHOOK_EVENT_TYPES, webhookInput } from '@contracts/webhooks';
import { useFormat } from '@shared/format/use-format';
import { useSession } from '../../auth/components/session-provider';
import { ErrorAlert } from '../../ui/components/error-alert';
import { Page } from '../../ui/components/page';
import { useContractForm } from '../../ui/hooks/use-contract-form';
import { useDeliveries, useWebhookMutations, useWebhooks } from '../hooks/use-webhooks';

type Values = { url: string; eventTypes: string[]; description: string };
const toBody = (v: Values) => ({ url: v.url.trim(), eventTypes: v.eventTypes, ...(v.description.trim() ? { description: v.description.trim() } : {}) });

function Deliveries({ id }: { id: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const deliveries = useDeliveries(id);
  const { retry } = useWebhookMutations();
  const { can } = useSession();
  if (deliveries.error) return <ErrorAlert error={deliveries.error} />;
  const items = deliveries.data ?? [];
  if (!items.length) return <Text c="dimmed" size="sm">{t('webhooks.noDeliveries')}</Text>;
  return (
    <Table>
      <Table.Tbody>
        {items.map((d) => (
          <Table.Tr key={d.id}>
            <Table.Td>{f.dateTime(d.createdAt)}</Table.Td>
            <Table.Td className="mono">{d.type}</Table.Td>
            <Table.Td>
              <Badge variant="light" color={d.status === 'delivered' ? 'teal' : d.status === 'failed' ? 'red' : 'gray'}>{t(`webhooks.statuses.${d.status}`)}</Badge>
            </Table.Td>
            <Table.Td>{t('webhooks.attempts', { count: d.attempts })}{d.lastStatusCode ? ` · HTTP ${d.lastStatusCode}` : ''}</Table.Td>
            <Table.Td>
              {d.status === 'failed' && can('webhooks:write') ? (
                <Button size="compact-xs" variant="default" onClick={() => retry.mutate(d.id)}>{t('webhooks.retry')}</Button>
              ) : null}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

export function WebhooksPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const webhooks = useWebhooks();
  const m = useWebhookMutations();
  const form = useContractForm<Values, typeof webhookInput>(webhookInput, { url: '', eventTypes: ['*'], description: '' }, toBody);
  const [secret, setSecret] = useState<string | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const write = can('webhooks:write');

  async function submit(e: FormEvent) {
    e.preventDefault();
    const body = form.validate();
    if (!body) return;
    try {
      const created = await m.create.mutateAsync(body);
      setSecret(created.secret);
      form.setValues({ url: '', eventTypes: ['*'], description: '' });
    } catch (err) {
      form.showServerErrors(err);
    }
  }

  return (
    <Page title={t('nav.webhooks')}>
      <Text size="sm" c="dimmed">{t('webhooks.intro')}</Text>
      {write ? (
        <Card withBorder maw={760}>
          <form onSubmit={submit} noValidate>
            <Stack gap="sm">
              <TextInput label={t('webhooks.url')} placeholder="https://erp.example.com/fealty" value={form.values.url} onChange={(e) => form.set('url', e.currentTarget.value)} error={form.errors.url} required />
              <MultiSelect
                label={t('webhooks.eventTypes')}
                data={['*', ...WEBHOOK_EVENT_TYPES].map((x) => ({ value: x, label: x === '*' ? t('webhooks.all') : x }))}
                value={form.values.eventTypes}
                onChange={(v) => form.set('eventTypes', v)}
                error={form.errors.eventTypes}
              />
              <TextInput label={t('rules.description')} value={form.values.description} onChange={(e) => form.set('description', e.currentTarget.value)} error={form.errors.description} />
              <ErrorAlert error={m.create.error} />
              <Button type="submit" loading={m.create.isPending} w="fit-content">{t('webhooks.create')}</Button>
            </Stack>
          </form>
        </Card>
      ) : null}
      {secret ? (
        <Alert color="yellow" title={t('webhooks.secretOnce')} withCloseButton onClose={() => setSecret(null)}>
          <Code block>{secret}</Code>
        </Alert>
      ) : null}
      <ErrorAlert error={webhooks.error ?? m.toggle.error ?? m.remove.error} />
      <Stack gap="sm">
        {(webhooks.data ?? []).map((w) => (
          <Card key={w.id} withBorder>
            <Group justify="space-between" wrap="wrap">
              <div>
                <Text fw={600} className="mono">{w.url}</Text>
                <Text size="sm" c="dimmed">{w.eventTypes.join(', ')}{w.description ? ` · ${w.description}` : ''}</Text>
              </div>
              <Group gap="xs">
                <Switch label={t('webhooks.active')} checked={w.active} disabled={!write} onChange={(e) => m.toggle.mutate({ id: w.id, active: e.currentTarget.checked })} />
                <Button size="xs" variant="default" onClick={() => setOpen(open === w.id ? null : w.id)}>{t('webhooks.deliveries')}</Button>
                {write ? (
                  <Button size="xs" color="red.8" variant="light" onClick={() => window.confirm(t('webhooks.confirmDelete', { url: w.url })) && m.remove.mutate(w.id)}>
                    {t('webhooks.delete')}
                  </Button>
                ) : null}
              </Group>
            </Group>
            {open === w.id ? <Deliveries id={w.id} /> : null}
          </Card>
        ))}
        {webhooks.data && !webhooks.data.length ? <Text c="dimmed">{t('webhooks.none')}</Text> : null}
      </Stack>
    </Page>
  );
}
