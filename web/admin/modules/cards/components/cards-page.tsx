import { Alert, Badge, Button, Card, ColorInput, Group, Select, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { CardKind } from '@contracts/cards';
import { useFormat } from '@shared/format/use-format';
import { ErrorAlert } from '../../ui/components/error-alert';
import { Page } from '../../ui/components/page';
import { createDesign, fetchApple, fetchDesigns, fetchGoogle } from '../api/cards-api';

const KINDS: CardKind[] = ['discount', 'accumulative', 'cashback', 'stamp'];
type Values = { kind: CardKind; name: string; title: string; background: string; foreground: string; label: string; currency: string };

/** The card front as Wallet lays it out, drawn from the form's values with sample data: no credentials needed. */
export function CardPreview({ v }: { v: Values }) {
  const { t } = useTranslation();
  const primary = { discount: ['cards.sample.discount', '7%'], accumulative: ['cards.sample.discount', '5%'], cashback: ['cards.sample.balance', '1,240'], stamp: ['cards.sample.stamps', '3/8'] }[v.kind];
  return (
    <div data-testid="card-preview" style={{ background: v.background, color: v.foreground, borderRadius: 14, padding: 16, width: 320, minHeight: 200, boxShadow: '0 4px 14px rgba(0,0,0,.25)' }}>
      <Group justify="space-between" align="flex-start">
        <Text fw={700}>{v.title || v.name || t('cards.untitled')}</Text>
        <div style={{ textAlign: 'end' }}>
          <Text size="xs" style={{ color: v.label }}>{t(primary[0])}</Text>
          <Text size="xl" fw={700}>{primary[1]}</Text>
        </div>
      </Group>
      <Group mt="lg" gap="xl">
        <div>
          <Text size="xs" style={{ color: v.label }}>{t('cards.sample.member')}</Text>
          <Text size="sm">Dr Amir</Text>
        </div>
        <div>
          <Text size="xs" style={{ color: v.label }}>{t('cards.sample.company')}</Text>
          <Text size="sm">Clinic Nord · 5,000</Text>
        </div>
      </Group>
      <div style={{ background: '#fff', width: 72, height: 72, margin: '16px auto 0', borderRadius: 4 }} aria-label={t('cards.barcode')} />
    </div>
  );
}

export function CardsPage() {
  const { t } = useTranslation();
  const f = useFormat();
  const qc = useQueryClient();
  const designs = useQuery({ queryKey: ['card-designs'], queryFn: fetchDesigns });
  const apple = useQuery({ queryKey: ['card-issuer', 'apple'], queryFn: fetchApple });
  const google = useQuery({ queryKey: ['card-issuer', 'google'], queryFn: fetchGoogle });
  const create = useMutation({ mutationFn: createDesign, onSuccess: () => qc.invalidateQueries({ queryKey: ['card-designs'] }) });
  const [v, setV] = useState<Values>({ kind: 'cashback', name: '', title: '', background: '#12355b', foreground: '#ffffff', label: '#ffd166', currency: '' });
  const set = (k: keyof Values) => (x: string | null) => setV((o) => ({ ...o, [k]: x ?? '' }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate({
      kind: v.kind,
      name: v.name,
      colors: { background: v.background, foreground: v.foreground, label: v.label },
      fields: v.kind === 'stamp' ? ['memberName', 'stamps'] : ['memberName', 'company', 'tier', 'discount', 'personalBalance', 'companyBalance'],
      barcode: 'qr',
      ...(v.currency ? { currency: v.currency } : {}),
      texts: v.title ? { en: { title: v.title } } : {},
    });
  };
  return (
    <Page title={t('cards.title')}>
      {apple.data && !apple.data.configured ? <Alert color="yellow" title={t('cards.appleMissingTitle')}>{t('cards.appleMissing')}</Alert> : null}
      {apple.data?.certificateExpiresAt ? <Text size="sm">{t('cards.appleExpires', { date: f.date(apple.data.certificateExpiresAt) })}</Text> : null}
      {google.data && !google.data.configured ? <Alert color="yellow" title={t('cards.googleMissingTitle')}>{t('cards.googleMissing')}</Alert> : null}
      <Card withBorder>
        <form onSubmit={submit}>
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            <Stack>
              <Select label={t('cards.kind')} data={KINDS.map((k) => ({ value: k, label: t(`cards.kinds.${k}`) }))} value={v.kind} onChange={(x) => set('kind')(x)} allowDeselect={false} />
              <TextInput label={t('cards.name')} value={v.name} onChange={(e) => set('name')(e.currentTarget.value)} required />
              <TextInput label={t('cards.cardTitle')} value={v.title} onChange={(e) => set('title')(e.currentTarget.value)} />
              <TextInput label={t('cards.currency')} value={v.currency} onChange={(e) => set('currency')(e.currentTarget.value)} />
              <Group grow>
                <ColorInput label={t('cards.background')} value={v.background} onChange={set('background')} format="hex" />
                <ColorInput label={t('cards.foreground')} value={v.foreground} onChange={set('foreground')} format="hex" />
                <ColorInput label={t('cards.label')} value={v.label} onChange={set('label')} format="hex" />
              </Group>
              {create.error ? <ErrorAlert error={create.error} /> : null}
              <Button type="submit" loading={create.isPending}>{t('cards.create')}</Button>
            </Stack>
            <Stack align="center">
              <Text size="sm" c="dimmed">{t('cards.preview')}</Text>
              <CardPreview v={v} />
            </Stack>
          </SimpleGrid>
        </form>
      </Card>
      {designs.error ? <ErrorAlert error={designs.error} /> : null}
      <Table>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('cards.name')}</Table.Th>
            <Table.Th>{t('cards.kind')}</Table.Th>
            <Table.Th>{t('cards.issued')}</Table.Th>
            <Table.Th>{t('cards.installed')}</Table.Th>
            <Table.Th>{t('cards.lastUpdate')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(designs.data ?? []).map((d) => (
            <Table.Tr key={d.id}>
              <Table.Td>{d.name}</Table.Td>
              <Table.Td><Badge variant="light">{t(`cards.kinds.${d.kind}`)}</Badge></Table.Td>
              <Table.Td>{f.number(d.issued)}</Table.Td>
              <Table.Td>{f.number(d.installed)}</Table.Td>
              <Table.Td>{d.lastUpdateAt ? f.dateTime(d.lastUpdateAt) : '—'}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Page>
  );
}
