import { Button, Card, Group, Stack, Switch, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { decimalToMinor, minorToDecimal, moneyDigits } from '@shared/format/format';
import { ErrorAlert } from '../../ui/components/error-alert';
import { fetchCompanyRights, putCompanyRights, type CompanyRightsView } from '../api/program-api';
import type { ProgramSettingsView } from '../api/program-api';

type Currency = ProgramSettingsView['currencies'][number];

/**
 * Rights inside a company (#14): per role, whether its members may redeem from their company's
 * wallet in the portal, how much per redemption and per calendar month without the partner
 * admin's approval, and which reward categories. Limits are typed as the currency reads (money in
 * major units) and sent as integers.
 */
export function CompanyRightsEditor({ program }: { program: ProgramSettingsView }) {
  const { t } = useTranslation();
  const rights = useQuery({ queryKey: ['company-rights'], queryFn: fetchCompanyRights });
  const names = new Map(program.roles.map((r) => [r.code, r.name]));
  return (
    <Card withBorder padding="lg" data-testid="company-rights">
      <Stack gap="sm">
        <Title order={3}>{t('companyRights.title')}</Title>
        <Text size="sm" c="dimmed">
          {t('companyRights.hint')}
        </Text>
        <ErrorAlert error={rights.error} />
        {(rights.data ?? []).map((r) => (
          <RoleRights key={`${r.role}:${r.updatedAt ?? ''}`} rights={r} name={names.get(r.role) ?? r.role} currencies={program.currencies} />
        ))}
      </Stack>
    </Card>
  );
}

const show = (minor: number | null, c: Currency) => {
  if (minor === null) return '';
  const d = moneyDigits(c);
  return d === null ? String(minor) : minorToDecimal(minor, d);
};

function RoleRights({ rights, name, currencies }: { rights: CompanyRightsView; name: string; currencies: Currency[] }) {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const [redeem, setRedeem] = useState(rights.redeem);
  const [limits, setLimits] = useState<Record<string, { perRedemption: string; perMonth: string }>>(() =>
    Object.fromEntries(currencies.map((c) => {
      const l = rights.limits.find((x) => x.currency === c.code);
      return [c.code, { perRedemption: l ? show(l.perRedemption, c) : '', perMonth: l ? show(l.perMonth, c) : '' }];
    })),
  );
  const [categories, setCategories] = useState(rights.rewards === 'all' ? '' : rights.rewards.categories.join(', '));
  const [bad, setBad] = useState<string | null>(null);
  const mutation = useMutation({ mutationFn: (body: Parameters<typeof putCompanyRights>[1]) => putCompanyRights(rights.role, body), onSuccess: () => qc.invalidateQueries({ queryKey: ['company-rights'] }) });

  function save() {
    setBad(null);
    const out: { currency: string; perRedemption: number | null; perMonth: number | null }[] = [];
    for (const c of currencies) {
      const parse = (text: string): number | null | undefined => {
        if (!text.trim()) return null;
        const m = decimalToMinor(text, moneyDigits(c) ?? 0, i18n.language);
        return m === null || m < 0n ? undefined : Number(m);
      };
      const per = parse(limits[c.code].perRedemption);
      const month = parse(limits[c.code].perMonth);
      if (per === undefined || month === undefined) return setBad(c.code);
      if (per !== null || month !== null) out.push({ currency: c.code, perRedemption: per, perMonth: month });
    }
    const cats = categories.split(',').map((s) => s.trim()).filter(Boolean);
    const ids = rights.rewards === 'all' ? [] : rights.rewards.rewardIds;
    mutation.mutate({ redeem, limits: out, rewards: cats.length || ids.length ? { categories: cats, rewardIds: ids } : 'all' });
  }

  return (
    <Stack gap="xs" data-testid={`company-rights-${rights.role}`}>
      <Group justify="space-between">
        <Text fw={600}>
          {name} <span className="mono">({rights.role})</span>
        </Text>
        <Switch label={t('companyRights.redeem')} checked={redeem} onChange={(e) => setRedeem(e.currentTarget.checked)} />
      </Group>
      {redeem ? (
        <>
          <Table withTableBorder>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('companyRights.currency')}</Table.Th>
                <Table.Th>{t('companyRights.perRedemption')}</Table.Th>
                <Table.Th>{t('companyRights.perMonth')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {currencies.map((c) => (
                <Table.Tr key={c.code}>
                  <Table.Td>{c.name}</Table.Td>
                  {(['perRedemption', 'perMonth'] as const).map((k) => (
                    <Table.Td key={k}>
                      <TextInput
                        aria-label={`${t(`companyRights.${k}`)} ${c.name}`}
                        inputMode={moneyDigits(c) === null ? 'numeric' : 'decimal'}
                        placeholder={t('companyRights.noLimit')}
                        value={limits[c.code][k]}
                        error={bad === c.code ? t('companyRights.badAmount') : undefined}
                        onChange={(e) => setLimits({ ...limits, [c.code]: { ...limits[c.code], [k]: e.currentTarget.value } })}
                      />
                    </Table.Td>
                  ))}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <TextInput label={t('companyRights.categories')} description={t('companyRights.categoriesHint')} value={categories} onChange={(e) => setCategories(e.currentTarget.value)} />
        </>
      ) : null}
      <Group>
        <Button variant="default" onClick={save} loading={mutation.isPending}>
          {t('companyRights.save')}
        </Button>
        {mutation.isSuccess ? <Text size="sm" c="teal">{t('companyRights.saved')}</Text> : null}
      </Group>
      <ErrorAlert error={mutation.error} />
    </Stack>
  );
}
