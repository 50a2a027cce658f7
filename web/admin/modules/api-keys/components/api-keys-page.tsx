import { Alert, Badge, Button, Card, Checkbox, Code, CopyButton, Group, Select, SimpleGrid, Stack, Table, Text, TextInput, Tooltip } from '@mantine/core';
import { PERMISSIONS, type Permission } from '@contracts/permissions';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '@shared/format/use-format';
import { isApiError } from '@shared/api/api-error';
import { useSession } from '../../auth/components/session-provider';
import { ErrorAlert } from '../../ui/components/error-alert';
import { Page } from '../../ui/components/page';
import { useApiKeys, useCreateApiKey, useRevokeApiKey } from '../hooks/use-api-keys';
import { PRESET_ORDER, SCOPE_PRESETS, type ScopePreset } from '../scope-presets';

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
  const [preset, setPreset] = useState<ScopePreset>('erpFeed');
  const [custom, setCustom] = useState<Permission[]>([]);
  const [scopesError, setScopesError] = useState<string | undefined>();
  const manage = can('api_keys:manage');
  // A key never holds more than its creator: only what the signed-in user holds can be picked.
  const holdable = PERMISSIONS.filter((p) => can(p));
  const presetScopes = (p: ScopePreset): Permission[] | undefined => (p === 'all' ? undefined : p === 'custom' ? custom : [...SCOPE_PRESETS[p]]);
  const presetAllowed = (p: ScopePreset) => p === 'all' || p === 'custom' || SCOPE_PRESETS[p].every((s) => can(s));

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!name.trim()) {
      setNameError(t('apiKeys.nameRequired'));
      return;
    }
    const scopes = presetScopes(preset);
    if (scopes && !scopes.length) {
      setScopesError(t('apiKeys.scopesRequired'));
      return;
    }
    setNameError(undefined);
    setScopesError(undefined);
    try {
      const created = await create.mutateAsync({ name: name.trim(), ...(scopes ? { scopes } : {}) });
      setShown(created.apiKey);
      setName('');
    } catch (err) {
      if (isApiError(err)) {
        const fields = err.fieldErrors();
        setNameError(fields.name);
        const scopeField = Object.entries(fields).find(([k]) => k.startsWith('scopes'));
        if (scopeField) setScopesError(scopeField[1]);
      }
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
            <Stack gap="xs" mt="md">
              <Select
                label={t('apiKeys.scopes')}
                description={t('apiKeys.scopesHint')}
                value={preset}
                allowDeselect={false}
                onChange={(v) => v && setPreset(v as ScopePreset)}
                data={PRESET_ORDER.filter(presetAllowed).map((p) => ({ value: p, label: t(`apiKeys.preset.${p}`) }))}
                error={preset === 'custom' ? undefined : scopesError}
              />
              {preset !== 'all' && preset !== 'custom' ? (
                <Group gap={4}>
                  {SCOPE_PRESETS[preset].map((s) => (
                    <Badge key={s} variant="light" className="mono">
                      {s}
                    </Badge>
                  ))}
                </Group>
              ) : null}
              {preset === 'custom' ? (
                <Checkbox.Group value={custom} onChange={(v) => setCustom(v as Permission[])} error={scopesError}>
                  <SimpleGrid cols={{ base: 1, sm: 2 }} spacing={4} mt={4}>
                    {holdable.map((p) => (
                      <Checkbox key={p} value={p} label={<span className="mono">{p}</span>} />
                    ))}
                  </SimpleGrid>
                </Checkbox.Group>
              ) : null}
            </Stack>
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
              <Table.Th>{t('apiKeys.scopes')}</Table.Th>
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
                <Table.Td>
                  {k.unrestricted ? (
                    <Tooltip label={t('apiKeys.unrestrictedHint')} multiline w={280}>
                      <Badge color="orange" variant="light">
                        {t('apiKeys.unrestricted')}
                      </Badge>
                    </Tooltip>
                  ) : (
                    <Group gap={4}>
                      {k.scopes.map((s) => (
                        <Badge key={s} variant="light" color="gray" className="mono">
                          {s}
                        </Badge>
                      ))}
                    </Group>
                  )}
                </Table.Td>
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
