import { Alert, Button, Card, Group, SegmentedControl, Select, Stack, Textarea, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef, useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { adjustmentInput } from '@contracts/wallets';
import { newIdempotencyKey } from '@shared/api/client';
import { moneyDigits } from '@shared/format/format';
import { useAmountInput } from '@shared/format/use-amount-input';
import { OwnerPicker } from '../../accounts/components/owner-picker';
import { useSession } from '../../auth/components/session-provider';
import { useAmountFormat, useProgram } from '../../program/hooks/use-program';
import { ErrorAlert } from '../../ui/components/error-alert';
import { Page } from '../../ui/components/page';
import { useContractForm } from '../../ui/hooks/use-contract-form';
import { postAdjustment, postAdjustmentRequest } from '../../wallets/api/wallets-api';
import { AdjustmentRequests, AdjustmentThresholds, useAdjustmentThresholds } from './adjustment-requests';

/** `amount` is the field's text: major units for money ("12,50"), a whole number for points and stamps. */
type Values = { target: 'account' | 'member'; ref: string; currency: string; direction: 'credit' | 'debit'; amount: string; reason: string };

/** A manual credit or debit: the reason is required, and goes to the ledger and the audit log. */
export function AdjustmentsPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const program = useProgram().data;
  const amount = useAmountFormat();
  const amountInput = useAmountInput();
  const qc = useQueryClient();
  // Money is typed in major units and converted exactly; the integer the API takes is derived per render.
  const currencyOf = (code: string) => program?.currencies.find((c) => c.code === code);
  const parseAmount = (v: Values) => amountInput.parse(v.amount, moneyDigits(currencyOf(v.currency)), currencyOf(v.currency)?.moneyCurrency ?? v.currency);
  const toBody = (v: Values) => {
    const a = parseAmount(v);
    return {
      ...(v.target === 'account' ? { accountId: v.ref.trim() } : { memberId: v.ref.trim() }),
      currency: v.currency,
      amount: 'amount' in a ? (v.direction === 'debit' ? -1 : 1) * a.amount : Number.NaN,
      reason: v.reason,
    };
  };
  // "Adjust" on an account or member page opens this form with that wallet picked.
  const [params] = useSearchParams();
  const preMember = params.get('member');
  const initial: Values = { target: preMember ? 'member' : 'account', ref: preMember ?? params.get('account') ?? '', currency: 'points', direction: 'credit', amount: '', reason: '' };
  const form = useContractForm<Values, typeof adjustmentInput>(adjustmentInput, initial, toBody);
  const [refLabel, setRefLabel] = useState('');
  // One key per intended adjustment: a retry after a network error cannot post it twice.
  const key = useRef(newIdempotencyKey());
  const [done, setDone] = useState<string | null>(null);
  // Four eyes (#21): above the program's threshold for the currency, the adjustment is sent for approval.
  const thresholds = useAdjustmentThresholds().data?.items ?? [];
  const needsApproval = (body: { currency: string; amount: number }) => {
    const th = thresholds.find((x) => x.currency === body.currency);
    return th !== undefined && Math.abs(body.amount) > th.amount;
  };
  const mutation = useMutation({
    mutationFn: async (body: Parameters<typeof postAdjustment>[0]) => (needsApproval(body) ? { request: await postAdjustmentRequest(body, key.current) } : { posted: await postAdjustment(body, key.current) }),
    onSuccess: () => {
      key.current = newIdempotencyKey();
      qc.invalidateQueries({ queryKey: ['wallets'] });
      qc.invalidateQueries({ queryKey: ['entries'] });
      qc.invalidateQueries({ queryKey: ['adjustment-requests'] });
    },
  });
  const { values, set, errors } = form;

  async function submit(e: FormEvent) {
    e.preventDefault();
    setDone(null);
    const body = form.validate();
    // The field's own message rather than the contract's "expected number"; a sign typed here would flip the direction.
    const a = parseAmount(values);
    const amountError = 'message' in a ? a.message : a.amount <= 0 ? t('money.positive') : null;
    if (amountError) form.setErrors((e) => ({ ...e, amount: amountError }));
    if (!body || amountError) return;
    try {
      const r = await mutation.mutateAsync(body);
      const args = { amount: amount(body.amount, body.currency), ref: refLabel || values.ref };
      setDone('request' in r ? t('admin.approvals.sent', args) : t('adjustments.done', args));
      form.setValues({ ...values, amount: '', reason: '' });
    } catch (err) {
      form.showServerErrors(err);
    }
  }

  const refError = errors.accountId ?? errors.memberId;
  const chosen = currencyOf(values.currency);
  const digits = moneyDigits(chosen);
  const typed = values.amount.trim() ? parseAmount(values) : null;
  const amountHint = digits === null ? undefined : typed && 'amount' in typed ? amount(typed.amount, values.currency) : amountInput.hint(digits, chosen?.moneyCurrency ?? values.currency);
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
                onChange={(v) => {
                  set('target', v === 'member' ? 'member' : 'account');
                  set('ref', '');
                }}
                data={[
                  { value: 'account', label: t('rules.to.account') },
                  { value: 'member', label: t('rules.to.member') },
                ]}
              />
              <OwnerPicker
                key={values.target}
                kind={values.target}
                label={values.target === 'account' ? t('adjustments.accountRef') : t('adjustments.memberRef')}
                description={t('admin.picker.hint')}
                value={values.ref}
                onChange={(id, label) => {
                  set('ref', id);
                  setRefLabel(label);
                }}
                error={refError}
                required
                testId="adjustment-owner"
              />
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
                <TextInput
                  label={t('entries.amount')}
                  // Money in major units, as printed on an invoice; the exact value as money shows underneath.
                  description={amountHint}
                  value={values.amount}
                  onChange={(e) => set('amount', e.currentTarget.value)}
                  error={errors.amount}
                  inputMode={digits === null ? 'numeric' : 'decimal'}
                  autoComplete="off"
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
      {can('adjustments:approve') ? <AdjustmentRequests /> : null}
      {can('program:write') ? <AdjustmentThresholds /> : null}
    </Page>
  );
}
