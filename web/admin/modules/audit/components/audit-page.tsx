import { Accordion, Autocomplete, Badge, Group, SimpleGrid, Stack, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '@shared/format/use-format';
import { CursorPager } from '../../ui/components/cursor-pager';
import { ErrorAlert } from '../../ui/components/error-alert';
import { Page } from '../../ui/components/page';
import { useCursorPages } from '../../ui/hooks/use-cursor-pages';
import { useAudit } from '../hooks/use-audit';
import { AuditDiff, AuditObject, useUserNames } from './audit-diff';

// The values to pick from; typing another one still filters by it.
const OBJECT_TYPES = ['account', 'member', 'rule', 'reward', 'redemption', 'tier', 'currency', 'role', 'user', 'program', 'api_key', 'webhook', 'import', 'campaign', 'claim', 'fund', 'rebate', 'adjustment_request'];
const ACTIONS = ['account.created', 'account.updated', 'member.created', 'member.updated', 'adjustment.created', 'adjustment_request.created', 'adjustment_request.approved', 'adjustment_request.rejected', 'adjustment_threshold.set', 'transfer.created', 'rule.created', 'rule.updated', 'rule.deleted', 'reward.created', 'reward.updated', 'redemption.created', 'tier.created', 'tier.updated', 'user.created', 'user.updated', 'program.updated', 'currency.created', 'role.created', 'api_key.created', 'api_key.revoked', 'import.completed'];
/** "member.created" → "Member created" when no translation exists. */
const humanize = (action: string) => {
  const s = action.replace(/[._]/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
};

export function AuditPage() {
  const { t } = useTranslation();
  const f = useFormat();
  const [objectType, setObjectType] = useState('');
  const [action, setAction] = useState('');
  const [dt] = useDebouncedValue(objectType, 300);
  const [da] = useDebouncedValue(action, 300);
  const filters = useMemo(() => ({ objectType: dt.trim() || undefined, action: da.trim() || undefined }), [dt, da]);
  const pages = useCursorPages();
  const { reset } = pages;
  useEffect(() => reset(), [filters, reset]);
  const audit = useAudit(filters, pages.cursor);
  const items = audit.data?.items ?? [];
  const userNames = useUserNames();
  const actionLabel = (action: string) => t(`admin.audit.actions.${action.replace(/\./g, '_')}`, { defaultValue: humanize(action) });
  const who = (a: { type: string; id: string | null }) => (a.type === 'user' && a.id ? (userNames.get(a.id) ?? a.id) : t(`admin.audit.actors.${a.type}`, { defaultValue: a.type }));
  return (
    <Page title={t('audit.title')}>
      <Group>
        <Autocomplete label={t('audit.objectType')} placeholder="account" data={OBJECT_TYPES} value={objectType} onChange={setObjectType} clearable />
        <Autocomplete label={t('audit.action')} placeholder={actionLabel('member.created')} data={ACTIONS.map((x) => ({ value: x, label: actionLabel(x) }))} value={action} onChange={setAction} clearable w={280} />
      </Group>
      <ErrorAlert error={audit.error} />
      <Stack gap="xs">
        <Accordion variant="separated">
          {items.map((a) => (
            <Accordion.Item key={a.id} value={a.id}>
              <Accordion.Control>
                <Group gap="sm" wrap="wrap">
                  <Text size="sm" c="dimmed">{f.dateTime(a.at)}</Text>
                  <Badge variant="light" tt="none">{actionLabel(a.action)}</Badge>
                  <AuditObject type={a.objectType} id={a.objectId} />
                  <Text size="sm" c="dimmed">{t('admin.audit.by', { name: who(a.actor) })}</Text>
                </Group>
              </Accordion.Control>
              <Accordion.Panel>
                <AuditDiff before={a.before} after={a.after} />
                <details>
                  <summary>{t('admin.audit.raw')}</summary>
                <SimpleGrid cols={{ base: 1, md: 2 }}>
                  <div>
                    <Text size="sm" fw={500}>{t('audit.before')}</Text>
                    <pre className="json">{JSON.stringify(a.before, null, 2)}</pre>
                  </div>
                  <div>
                    <Text size="sm" fw={500}>{t('audit.after')}</Text>
                    <pre className="json">{JSON.stringify(a.after, null, 2)}</pre>
                  </div>
                </SimpleGrid>
                </details>
              </Accordion.Panel>
            </Accordion.Item>
          ))}
        </Accordion>
        {!items.length && !audit.isLoading ? <Text c="dimmed">{t('common.noResults')}</Text> : null}
        <CursorPager pages={pages} nextCursor={audit.data?.nextCursor} count={items.length} />
      </Stack>
    </Page>
  );
}
