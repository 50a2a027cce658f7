import { Select } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fetchAccount, searchAccounts, searchMembers } from '../api/accounts-api';
import { fetchMember } from '../../members/api/members-api';

type Option = { value: string; label: string };

/**
 * Picks an account or a member by typing part of its name or external id; the value is the
 * server id. The chosen one's label is read by id, so a prefilled value shows its name too.
 */
export function OwnerPicker({
  kind,
  value,
  onChange,
  label,
  description,
  error,
  required,
  testId,
  exclude,
}: {
  kind: 'account' | 'member';
  value: string;
  onChange: (id: string, label: string) => void;
  label: string;
  description?: string;
  error?: string;
  required?: boolean;
  testId?: string;
  /** An id not to offer (an account cannot be its own parent). */
  exclude?: string;
}) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [typed] = useDebouncedValue(search, 250);
  const chosen = useQuery({
    queryKey: ['owner-picker-chosen', kind, value],
    queryFn: async (): Promise<Option> => {
      if (kind === 'account') {
        const a = await fetchAccount(value);
        return { value: a.id, label: `${a.name} · ${a.externalId}` };
      }
      const m = await fetchMember(value);
      return { value: m.id, label: `${m.name} · ${m.externalId}` };
    },
    enabled: value !== '',
    staleTime: 60_000,
  });
  // Once one is chosen the field shows its label; opening the list again offers all, not only it.
  const q = chosen.data && typed === chosen.data.label ? '' : typed;
  const results = useQuery({
    queryKey: ['owner-picker', kind, q],
    queryFn: async (): Promise<Option[]> =>
      kind === 'account'
        ? (await searchAccounts(q.trim())).items.map((a) => ({ value: a.id, label: `${a.name} · ${a.externalId}` }))
        : (await searchMembers(q.trim())).items.map((m) => ({ value: m.id, label: `${m.name} · ${m.externalId}` })),
    placeholderData: keepPreviousData,
  });
  const data = useMemo(() => {
    const list = (results.data ?? []).filter((o) => o.value !== exclude);
    const c = chosen.data;
    return c && c.value === value && !list.some((o) => o.value === c.value) ? [c, ...list] : list;
  }, [results.data, chosen.data, value, exclude]);
  return (
    <Select
      label={label}
      description={description}
      placeholder={t('admin.picker.placeholder')}
      nothingFoundMessage={results.isFetching ? t('admin.picker.searching') : t('common.noResults')}
      data={data}
      value={value || null}
      onChange={(v, option) => onChange(v ?? '', option?.label ?? '')}
      searchable
      clearable
      // The server filters; the options shown are what it answered for the text typed.
      filter={({ options }) => options}
      searchValue={search}
      onSearchChange={setSearch}
      error={error}
      required={required}
      data-testid={testId}
      comboboxProps={{ withinPortal: true }}
    />
  );
}
