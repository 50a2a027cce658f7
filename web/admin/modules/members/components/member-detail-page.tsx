import { Anchor, Badge, Button, Group, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useAccount } from '../../accounts/hooks/use-accounts';
import { useSession } from '../../auth/components/session-provider';
import { useProgram } from '../../program/hooks/use-program';
import { ErrorAlert } from '../../ui/components/error-alert';
import { Page } from '../../ui/components/page';
import { EntriesTable } from '../../wallets/components/entries-table';
import { WalletCards } from '../../wallets/components/wallet-cards';
import { useMember } from '../hooks/use-members';
import { MemberFormModal } from './member-form';
import { MarkLeftModal } from './mark-left-modal';

export function MemberDetailPage() {
  const { t } = useTranslation();
  const id = useParams().memberId ?? '';
  const member = useMember(id);
  const program = useProgram().data;
  const m = member.data;
  const { can } = useSession();
  const [editing, setEditing] = useState(false);
  const [leaving, setLeaving] = useState(false);
  const company = useAccount(m?.accountId ?? '').data;
  if (member.error) return <ErrorAlert error={member.error} />;
  if (!m) return null;
  const owner = { kind: 'member' as const, id: m.id };
  return (
    <Page
      actions={
        <>
          {can('value:adjust') ? (
            <Button component={Link} to={`/adjustments?member=${encodeURIComponent(m.id)}`} variant="default" data-testid="member-adjust">
              {t('admin.adjust')}
            </Button>
          ) : null}
          {can('accounts:write') ? (
            <Button variant="default" onClick={() => setEditing(true)} data-testid="member-edit">
              {t('admin.edit')}
            </Button>
          ) : null}
          {can('accounts:write') && m.status !== 'left' ? (
            <Button variant="default" color="red" onClick={() => setLeaving(true)} data-testid="member-mark-left">
              {t('offboarding.markLeft')}
            </Button>
          ) : null}
        </>
      }
      title={
        <Group gap="sm">
          <span>{m.name}</span>
          {m.partnerAdmin ? <Badge variant="outline">{t('members.partnerAdmin')}</Badge> : null}
        </Group>
      }
    >
      <Text size="sm" c="dimmed">
        <span className="mono">{m.externalId}</span> · {program?.roles.find((r) => r.code === m.role)?.name ?? m.role} · {m.email ?? ''} · {t(`members.statuses.${m.status}`)} ·{' '}
        <Anchor component={Link} to={`/accounts/${m.accountId}`} size="sm">
          {company?.name ?? t('members.openAccount')}
        </Anchor>
      </Text>
      <Stack gap="xs">
        <Title order={2} size="h4">
          {t('wallets.title')}
        </Title>
        <WalletCards owner={owner} />
      </Stack>
      <Stack gap="xs">
        <Title order={2} size="h4">
          {t('entries.title')}
        </Title>
        <EntriesTable owner={owner} />
      </Stack>
      <MemberFormModal member={m} opened={editing} onClose={() => setEditing(false)} />
      {leaving ? <MarkLeftModal member={m} opened={leaving} onClose={() => setLeaving(false)} /> : null}
    </Page>
  );
}
