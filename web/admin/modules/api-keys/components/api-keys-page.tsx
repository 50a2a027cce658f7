import { Alert, Badge, Button, Card, Code, CopyButton, Group, Stack, Table, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '@shared/format/use-format';
import { isApiError } from '@shared/api/api-error';
import { useSession } from '../../auth/components/session-provider';
import { ErrorAlert } from '../../ui/components/error-alert';
import { Page } from '../../ui/components/page';
import { useApiKeys, useCreateApiKey, useRevokeApiKey } from '../hooks/use-api-keys';

export function ApiKeysPage() {
  const { t } = useTranslation();
  const f = useFormat();
  const { can } = useSession();
  const keys = useApiKeys();
  const create = useCreateApiKey();
  const revoke = useRevokeApiKey();
  const [name, setName] = useState('');
  const [nameError, setNameError] = useState<string | undefined>();
  const [shown, setShown] = useState<string | null>(null);
  const manage = can('api_keys:manage');

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!name.trim()) {
      setNameError(t('apiKeys.nameRequired'));
      return;
    }
    setNameError(undefined);
    try {
      const created = await create.mutateAsync(name.trim());
      setShown(created.apiKey);
      setName('');
    } catch (err) {
      if (isApiError(err)) setNameError(err.fieldErrors().name);
    }
  }

  return (
    <Page title={t('apiKeys.title')}>
      <Text c="dimmed" size="sm">
        {t('apiKeys.intro')}
      </Text>
      {manage ? (
        <Card withBorder maw={640}>
          <form onSubmit={submit} noValidate>
            <Group align="flex-end">
              <TextInput label={t('apiKeys.name')} placeholder="ERP import" value={name} onChange={(e) => setName(e.currentTarget.value)} error={nameError} style={{ flex: 1 }} />
              <Button type="submit" loading={create.isPending}>
                {t('apiKeys.create')}
              </Button>
            </Group>
          </form>
        </Card>
      ) : null}
      {shown ? (
        <Alert color="yellow" title={t('apiKeys.shownOnce')} withCloseButton onClose={() => setShown(null)}>
          <Stack gap="xs">
            <Code block>{shown}</Code>
            <CopyButton value={shown}>{({ copied, copy }) => <Button size="xs" variant="default" onClick={copy} w="fit-content">{copied ? t('common.copied') : t('common.copy')}</Button>}</CopyButton>
          </Stack>
        </Alert>
      ) : null}
      <ErrorAlert error={keys.error ?? create.error ?? revoke.error} />
      <Table.ScrollContainer minWidth={600}>
        <Table striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('apiKeys.name')}</Table.Th>
              <Table.Th>{t('apiKeys.prefix')}</Table.Th>
              <Table.Th>{t('apiKeys.createdAt')}</Table.Th>
              <Table.Th>{t('apiKeys.lastUsedAt')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(keys.data ?? []).map((k) => (
              <Table.Tr key={k.id}>
                <Table.Td>{k.name}</Table.Td>
                <Table.Td className="mono">{k.prefix}…</Table.Td>
                <Table.Td>{f.dateTime(k.createdAt)}</Table.Td>
                <Table.Td>{k.lastUsedAt ? f.dateTime(k.lastUsedAt) : '—'}</Table.Td>
                <Table.Td>
                  {k.revokedAt ? (
                    <Badge color="gray">{t('apiKeys.revoked')}</Badge>
                  ) : manage ? (
                    <Button
                      size="xs"
                      color="red.8"
                      variant="light"
                      onClick={() => {
                        if (window.confirm(t('apiKeys.confirmRevoke', { name: k.name }))) revoke.mutate(k.id);
                      }}
                    >
                      {t('apiKeys.revoke')}
                    </Button>
                  ) : null}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Page>
  );
}
