import { Anchor, Badge, Button, Card, FileInput, Group, Select, Stack, Table, Text } from '@mantine/core';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { importKind, importStatus } from '@contracts/imports';
import { useFormat } from '@shared/format/use-format';
import { useSession } from '../../auth/components/session-provider';
import { ErrorAlert } from '../../ui/components/error-alert';
import { Page } from '../../ui/components/page';
import { PagedTable } from '../../ui/components/paged-table';
import { useCursorPages } from '../../ui/hooks/use-cursor-pages';
import type { ImportKind, ImportStatus } from '../api/imports-api';
import { useImports, useUploadImport } from '../hooks/use-imports';
import { IMPORTS_WRITE } from '../permissions';
import { StatusBadge } from './status-badge';

/** Choose what the file feeds and the file; the server answers with the columns it read. */
function UploadCard() {
  const { t } = useTranslation();
  const { can } = useSession();
  // The server also wants the write permission of what the file feeds: offer only those kinds.
  const kinds = importKind.options.filter((k) => can(k === 'events' ? 'events:write' : 'accounts:write'));
  const navigate = useNavigate();
  const upload = useUploadImport();
  const [kind, setKind] = useState<ImportKind>(kinds[0] ?? 'events');
  const [file, setFile] = useState<File | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!file) {
      setFileError(t('imports.upload.fileRequired'));
      return;
    }
    setFileError(null);
    try {
      const view = await upload.mutateAsync({ kind, file });
      navigate(`/imports/${encodeURIComponent(view.id)}`);
    } catch {
      // shown below
    }
  }

  return (
    <Card withBorder>
      <form onSubmit={submit} noValidate aria-label={t('imports.upload.title')}>
        <Stack gap="sm">
          <Text fw={600}>{t('imports.upload.title')}</Text>
          <Text size="sm" c="dimmed">
            {t('imports.upload.hint')}
          </Text>
          <Group align="flex-end" wrap="wrap">
            <Select
              label={t('imports.kind')}
              data={kinds.map((k) => ({ value: k, label: t(`imports.kinds.${k}`) }))}
              value={kind}
              onChange={(v) => setKind(importKind.safeParse(v).data ?? 'events')}
              allowDeselect={false}
              w={200}
            />
            <FileInput
              label={t('imports.upload.file')}
              placeholder={t('imports.upload.choose')}
              accept=".csv,.txt,.tsv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
              value={file}
              onChange={(f) => {
                setFile(f);
                setFileError(null);
              }}
              error={fileError}
              clearable
              w={320}
              required
            />
            <Button type="submit" loading={upload.isPending}>
              {t('imports.upload.button')}
            </Button>
          </Group>
          <ErrorAlert error={upload.error} />
        </Stack>
      </form>
    </Card>
  );
}

/** The import screen: earlier imports (newest first) and a new upload. */
export function ImportsPage() {
  const { t } = useTranslation();
  const f = useFormat();
  const { can } = useSession();
  const [kind, setKind] = useState<ImportKind | null>(null);
  const [status, setStatus] = useState<ImportStatus | null>(null);
  const pages = useCursorPages();
  const { reset } = pages;
  useEffect(() => reset(), [kind, status, reset]);
  const imports = useImports({ kind: kind ?? undefined, status: status ?? undefined }, pages.cursor);
  const items = imports.data?.items ?? [];
  return (
    <Page title={t('imports.title')}>
      {can(IMPORTS_WRITE) ? <UploadCard /> : null}
      <Group align="flex-end">
        <Select label={t('imports.kind')} data={importKind.options.map((k) => ({ value: k, label: t(`imports.kinds.${k}`) }))} value={kind} onChange={(v) => setKind(importKind.safeParse(v).data ?? null)} clearable w={240} />
        <Select label={t('imports.status')} data={importStatus.options.map((s) => ({ value: s, label: t(`imports.statuses.${s}`) }))} value={status} onChange={(v) => setStatus(importStatus.safeParse(v).data ?? null)} clearable w={180} />
      </Group>
      <ErrorAlert error={imports.error} />
      <PagedTable
        columns={[
          { label: t('imports.file') },
          { label: t('imports.kind') },
          { label: t('imports.status') },
          { label: t('imports.progress.processed'), end: true },
          { label: t('imports.progress.duplicates'), end: true },
          { label: t('imports.progress.rejected'), end: true },
          { label: t('imports.createdAt') },
        ]}
        minWidth={720}
        count={items.length}
        loading={imports.isLoading}
        empty={t('imports.none')}
        pages={pages}
        nextCursor={imports.data?.nextCursor}
      >
        {items.map((x) => (
          <Table.Tr key={x.id} data-testid="import-row">
            <Table.Td>
              <Anchor component={Link} to={`/imports/${encodeURIComponent(x.id)}`}>
                {x.fileName}
              </Anchor>
            </Table.Td>
            <Table.Td>{t(`imports.kinds.${x.kind}`)}</Table.Td>
            <Table.Td>
              <Group gap={4}>
                <StatusBadge status={x.status} />
                {x.dryRun && x.status !== 'uploaded' ? <Badge variant="outline">{t('imports.run.dryRunBadge')}</Badge> : null}
              </Group>
            </Table.Td>
            <Table.Td ta="end">{f.number(x.progress.processed)}</Table.Td>
            <Table.Td ta="end">{f.number(x.progress.duplicates)}</Table.Td>
            <Table.Td ta="end">{f.number(x.progress.rejected)}</Table.Td>
            <Table.Td>{f.dateTime(x.createdAt)}</Table.Td>
          </Table.Tr>
        ))}
      </PagedTable>
    </Page>
  );
}
