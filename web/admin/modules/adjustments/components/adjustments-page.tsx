import { Alert, Button, Card, Group, NumberInput, SegmentedControl, Select, Stack, Textarea, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { adjustmentInput } from '@contracts/wallets';
import { newIdempotencyKey } from '@shared/api/client';
import { useSession } from '../../auth/components/session-provider';
import { useAmountFormat, useProgram } from '../../program/hooks/use-program';
import { ErrorAlert } from '../../ui/components/error-alert';
import { Page } from '../../ui/components/page';
import { useContractForm } from '../../ui/hooks/use-contract-form';
import { postAdjustment } from '../../wallets/api/wallets-api';

type Values = { target: 'account' | 'member'; ref: string; currency: string; direction: 'credit' | 'debit'; amount: number | string; reason: string };

const toBody = (v: Values) => ({
  ...(v.target === 'account' ? { accountId: v.ref.trim() } : { memberId: v.ref.trim() }),
  currency: v.currency,
  amount: (v.direction === 'debit' ? -1 : 1) * Number(v.amount === '' ? Number.NaN : v.amount),
  reason: v.reason,
});

/** A manual credit or debit: the reason is required, and goes to the ledger and the audit log. */
export function AdjustmentsPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const program = useProgram().data;
  const amount = useAmountFormat();
  const qc = useQueryClient();
  const form = useContractForm<Values, typeof adjustmentInput>(adjustmentInput, { target: 'account', ref: '', currency: 'points', direction: 'credit', amount: '', reason: '' }, toBody);
  // One key per intended adjustment: a retry after a network error cannot post it twice.
  const key = useRef(newIdempotencyKey());
  const [done, setDone] = useState<string | null>(null);
  const mutation = useMutation({
    mutationFn: (body: Parameters<typeof postAdjustment>[0]) => postAdjustment(body, key.current),
    onSuccess: () => {
      key.current = newIdempotencyKey();
      qc.invalidateQueries({ queryKey: ['wallets'] });
      qc.invalidateQueries({ queryKey: ['entries'] });
    },
  });
  const { values, set, errors } = form;

  async function submit(e: FormEvent) {
    e.preventDefault();
    setDone(null);
    const body = form.validate();
    if (!body) return;
    try {
      await mutation.mutateAsync(body);
      setDone(t('adjustments.done', { amount: amount(body.amount, body.currency), ref: values.ref }));
      form.setValues({ ...values, amount: '', reason: '' });
    } catch (err) {
      form.showServerErrors(err);
    }
  }

  const refError = errors.accountId ?? errors.memberId;
  return (
    <Page title={t('adjustments.title')}>
      {!can('value:adjust') ? <Alert color="gray">{t('common.readOnly')}</Alert> : null}
      <Card withBorder maw={640}>
        <form onSubmit={submit} noValidate>
          <fieldset disabled={!can('value:adjust')} style={{ border: 0, padding: 0, margin: 0 }}>
            <Stack gap="sm">
              <SegmentedControl
                aria-label={t('adjustments.wallet')}
                value={values.target}
                onChange={(v) => set('target', v === 'member' ? 'member' : 'account')}
                data={[
                  { value: 'account', label: t('rules.to.account') },
                  { value: 'member', label: t('rules.to.member') },
                ]}
              />
              <TextInput label={values.target === 'account' ? t('adjustments.accountRef') : t('adjustments.memberRef')} description={t('adjustments.refHint')} value={values.ref} onChange={(e) => set('ref', e.currentTarget.value)} error={refError} required />
              <Group grow align="flex-start">
                <Select label={t('rules.currency')} data={(program?.currencies ?? []).map((c) => ({ value: c.code, label: c.name }))} value={values.currency} onChange={(v) => set('currency', v ?? '')} error={errors.currency} allowDeselect={false} />
                <Select
                  label={t('adjustments.direction')}
                  data={[
                    { value: 'credit', label: t('adjustments.credit') },
                    { value: 'debit', label: t('adjustments.debit') },
                  ]}
                  value={values.direction}
                  onChange={(v) => set('direction', v === 'debit' ? 'debit' : 'credit')}
                  allowDeselect={false}
                />
                <NumberInput
                  label={t('entries.amount')}
                  // Money is entered in minor units, like the API takes it: the value as money shows underneath.
                  description={program?.currencies.find((c) => c.code === values.currency)?.kind === 'money' ? (values.amount !== '' && Number.isInteger(Number(values.amount)) ? amount(Number(values.amount), values.currency) : t('rewards.form.minorUnits')) : undefined}
                  value={values.amount}
                  onChange={(v) => set('amount', v)}
                  error={errors.amount}
                  min={1}
                  allowDecimal={false}
                  required
                />
              </Group>
              <Textarea label={t('adjustments.reason')} description={t('adjustments.reasonHint')} value={values.reason} onChange={(e) => set('reason', e.currentTarget.value)} error={errors.reason} required autosize minRows={2} />
              <ErrorAlert error={mutation.error} />
              {done ? (
                <Alert color="teal" variant="light" role="status">
                  {done}
                </Alert>
              ) : null}
              <Button type="submit" loading={mutation.isPending} w="fit-content">
                {t('adjustments.submit')}
              </Button>
            </Stack>
          </fieldset>
        </form>
      </Card>
    </Page>
  );
}
