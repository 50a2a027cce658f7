import { Anchor, Badge, Card, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { AccountName, MemberName } from '../../accounts/components/owner-names';
import { useFormat } from '@shared/format/use-format';
import { useAmountFormat } from '../../program/hooks/use-program';
import { ErrorAlert } from '../../ui/components/error-alert';
import { Page } from '../../ui/components/page';
import type { TraceStep } from '../api/events-api';
import { useEvent } from '../hooks/use-events';

function TraceCard({ step }: { step: TraceStep }) {
  const { t } = useTranslation();
  const amount = useAmountFormat();
  if (step.skipped) return <Card withBorder><Text>{step.skipped}</Text></Card>;
  if (step.return) {
    return (
      <Card withBorder>
        <Text>{t('events.trace.return', { id: step.return.originalEventId })}</Text>
      </Card>
    );
  }
  return (
    <Card withBorder data-testid="trace-step">
      <Group justify="space-between">
        <Anchor component={Link} to={`/rules/${step.ruleId ?? ''}`} fw={600}>
          {step.name} <Text span c="dimmed" size="sm">v{step.version}</Text>
        </Anchor>
        <Badge color={step.matched ? 'teal' : 'gray'} variant="light">
          {step.matched ? t('events.trace.matched') : t(`events.trace.reasons.${step.reason ?? 'condition_false'}`)}
        </Badge>
      </Group>
      {step.detail ? <Text size="sm" c="dimmed">{step.detail}</Text> : null}
      {(step.effects ?? []).map((e) => (
        <Text size="sm" key={e.index}>
          {t('events.trace.effect', { index: e.index + 1, to: t(`rules.to.${e.to}`), amount: amount(Number(e.amount), e.currency) })}
          {e.multiplier && e.multiplier !== 1 ? ` × ${e.multiplier}` : ''}
          {e.note ? ` — ${e.note}` : ''}
        </Text>
      ))}
      {(step.limits ?? []).map((l, i) => (
        <Text size="sm" c="orange.9" key={i}>
          {t(`events.trace.limit.${l.kind}`, { wanted: amount(l.wanted, step.effects?.[l.effectIndex]?.currency ?? ''), granted: amount(l.granted, step.effects?.[l.effectIndex]?.currency ?? '') })} {l.detail}
        </Text>
      ))}
    </Card>
  );
}

export function EventDetailPage() {
  const { t } = useTranslation();
  const id = useParams().eventId ?? '';
  const event = useEvent(id);
  const f = useFormat();
  const amount = useAmountFormat();
  const e = event.data;
  if (event.error) return <ErrorAlert error={event.error} />;
  if (!e) return null;
  return (
    <Page title={<span className="mono">{e.id}</span>}>
      <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }}>
        <div>
          <Text size="sm" c="dimmed">{t('events.type')}</Text>
          <Text>{e.type}</Text>
        </div>
        <div>
          <Text size="sm" c="dimmed">{t('events.occurredAt')}</Text>
          <Text>{f.dateTime(e.occurredAt)}</Text>
        </div>
        <div>
          <Text size="sm" c="dimmed">{t('events.amount')}</Text>
          <Text>{e.amount === null ? '—' : e.currency ? f.amount(e.amount, { code: e.currency, kind: 'money', moneyCurrency: e.currency }) : f.number(e.amount)}</Text>
        </div>
        <div>
          <Text size="sm" c="dimmed">{t('events.account')}</Text>
          <Anchor component={Link} to={`/accounts/${e.accountId}`}><AccountName id={e.accountId} fallback={t('members.openAccount')} /></Anchor>
          {e.memberId ? (
            <>
              {' · '}
              <Anchor component={Link} to={`/members/${e.memberId}`}><MemberName id={e.memberId} fallback={t('events.member')} /></Anchor>
            </>
          ) : null}
        </div>
      </SimpleGrid>
      <Title order={2} size="h4">{t('events.awardsTitle')}</Title>
      <Table.ScrollContainer minWidth={560}>
        <Table striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('events.wallet')}</Table.Th>
              <Table.Th ta="end">{t('entries.amount')}</Table.Th>
              <Table.Th ta="end">{t('events.reversed')}</Table.Th>
              <Table.Th>{t('events.availableAt')}</Table.Th>
              <Table.Th>{t('events.rule')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {e.awards.map((a) => (
              <Table.Tr key={a.id}>
                <Table.Td>{'accountId' in a.wallet ? t('rules.to.account') : t('rules.to.member')}</Table.Td>
                <Table.Td ta="end">{amount(a.amount, a.currency)}</Table.Td>
                <Table.Td ta="end">{a.reversed ? amount(a.reversed, a.currency) : ''}</Table.Td>
                <Table.Td>{f.date(a.availableAt)}</Table.Td>
                <Table.Td>
                  <Anchor component={Link} to={`/rules/${a.ruleId}`} size="sm">v{a.ruleVersion}</Anchor>
                </Table.Td>
              </Table.Tr>
            ))}
            {!e.awards.length ? (
              <Table.Tr>
                <Table.Td colSpan={5}><Text c="dimmed">{t('events.noAwards')}</Text></Table.Td>
              </Table.Tr>
            ) : null}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Title order={2} size="h4">{t('events.traceTitle')}</Title>
      <Stack gap="xs">
        {e.trace.length ? e.trace.map((s, i) => <TraceCard key={i} step={s} />) : <Text c="dimmed">{t('events.trace.empty')}</Text>}
      </Stack>
      <Title order={2} size="h4">{t('events.payload')}</Title>
      <pre className="json">{JSON.stringify(e.payload, null, 2)}</pre>
    </Page>
  );
}
