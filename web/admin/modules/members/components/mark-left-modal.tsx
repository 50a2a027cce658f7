import { Button, Group, List, Modal, Stack, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { updateMember } from '../../accounts/api/accounts-api';
import { useAmountFormat, useProgram } from '../../program/hooks/use-program';
import { ErrorAlert } from '../../ui/components/error-alert';
import { useWallets } from '../../wallets/hooks/use-wallets';
import type { MemberView } from '../api/members-api';

/**
 * Offboarding (#14): "mark as left" says, before it happens, what the program's policy will do with
 * the member's balance (per currency: available and pending) and that open redemptions are cancelled.
 */
export function MarkLeftModal({ member, opened, onClose }: { member: MemberView; opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const program = useProgram().data;
  const wallets = useWallets({ kind: 'member', id: member.id });
  const amount = useAmountFormat();
  const policy = program?.offboardingPolicy ?? 'moveToCompany';
  const mutation = useMutation({
    mutationFn: () => updateMember(member.id, { status: 'left' }),
    onSuccess: (m) => {
      qc.setQueryData(['member', m.id], m);
      qc.invalidateQueries({ queryKey: ['members'] });
      qc.invalidateQueries({ queryKey: ['account-members', m.accountId] });
      qc.invalidateQueries({ queryKey: ['wallets'] });
      qc.invalidateQueries({ queryKey: ['entries'] });
      onClose();
    },
  });
  const withValue = (wallets.data ?? []).filter((w) => w.available !== 0 || w.pending !== 0 || w.held !== 0);
  return (
    <Modal opened={opened} onClose={onClose} title={t('offboarding.confirmTitle', { name: member.name })}>
      <Stack gap="sm" data-testid="mark-left-confirm">
        <Text size="sm">{t(`offboarding.policyWill.${policy}`)}</Text>
        {withValue.length ? (
          <List size="sm">
            {withValue.map((w) => (
              <List.Item key={w.currency} data-testid={`mark-left-${w.currency}`}>
                {t('offboarding.balanceLine', { available: amount(w.available + w.held, w.currency), pending: amount(w.pending, w.currency) })}
              </List.Item>
            ))}
          </List>
        ) : (
          <Text size="sm" c="dimmed">
            {t('offboarding.nothingToMove')}
          </Text>
        )}
        <Text size="sm" c="dimmed">
          {t('offboarding.redemptionsCancelled')}
        </Text>
        <ErrorAlert error={mutation.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button color="red" loading={mutation.isPending} onClick={() => mutation.mutate()} data-testid="mark-left-submit">
            {t('offboarding.markLeft')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
