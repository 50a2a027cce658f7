import { Alert, Anchor, Badge, Button, Card, Code, Group, Loader, Progress, SimpleGrid, Stack, Switch, Table, Text, Title } from '@mantine/core';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { importMapping } from '@contracts/imports';
import { useFormat } from '@shared/format/use-format';
import { formatMoney } from '@shared/format/format';
import { isApiError } from '@shared/api/api-error';
import { useSession } from '../../auth/components/session-provider';
import { ErrorAlert } from '../../ui/components/error-alert';
import { Page } from '../../ui/components/page';
import { issuesToErrors } from '../../ui/hooks/use-contract-form';
import { fetchRejects, type ImportMapping, type ImportPreview, type ImportView } from '../api/imports-api';
import { rememberedFile } from '../file-memory';
import { fromSource, guessDrafts, IMPORT_FIELDS, toSource } from '../fields';
import { useProgram, useSpend } from '../../program/hooks/use-program';
import { useImport, usePreviewImport, useRunImport, useUploadImport } from '../hooks/use-imports';
import { IMPORTS_WRITE } from '../permissions';
import { MappingEditor, type MappingDraft } from './mapping-editor';
import { StatusBadge } from './status-badge';

/** `carried`: the mapping of the dry run this upload repeats, when there is one. */
function initialDraft(view: ImportView, carried: ImportMapping | null): MappingDraft {
  const m = view.mapping ?? carried;
  const known = new Set(IMPORT_FIELDS[view.kind].map((f) => f.path));
  return {
    options: {
      encoding: m?.encoding ?? 'auto',
      delimiter: m?.delimiter ?? 'auto',
      decimalSeparator: m?.decimalSeparator ?? 'auto',
      headerRow: m?.headerRow ?? 1,
      timeZone: m?.timeZone ?? '',
      sheet: m?.sheet ?? '',
    },
    fields: m ? Object.fromEntries(IMPORT_FIELDS[view.kind].map((f) => [f.path, fromSource(m.fields[f.path])])) : guessDrafts(view.kind, view.detected.columns),
    attributes: m
      ? Object.entries(m.fields)
          .filter(([k]) => !known.has(k) && k.startsWith('attributes.'))
          .map(([k, s]) => ({ name: k.slice('attributes.'.length), draft: fromSource(s) }))
      : [],
  };
}

/** The draft as the request's `mapping`: options left at `auto` are sent as such, unmapped fields left out. */
function toMapping(kind: ImportView['kind'], d: MappingDraft): ImportMapping {
  const fields: Record<string, unknown> = {};
  for (const def of IMPORT_FIELDS[kind]) {
    const s = toSource(d.fields[def.path] ?? { source: 'none', column: '', value: '', scale: '', prefix: '', format: '' }, def.type);
    if (s !== undefined) fields[def.path] = s;
  }
  for (const a of d.attributes) {
    const s = toSource(a.draft, 'text');
    if (s !== undefined) fields[`attributes.${a.name.trim()}`] = s;
  }
  return {
    encoding: d.options.encoding,
    delimiter: d.options.delimiter,
    decimalSeparator: d.options.decimalSeparator,
    headerRow: d.options.headerRow === '' ? Number.NaN : Number(d.options.headerRow),
    ...(d.options.timeZone.trim() ? { timeZone: d.options.timeZone.trim() } : {}),
    ...(d.options.sheet ? { sheet: d.options.sheet } : {}),
    fields: fields as ImportMapping['fields'],
  };
}

/** The server names mapping errors `mapping.fields.amount`; the editor knows them as `fields.amount`. */
function serverErrors(err: unknown): Record<string, string> | null {
  if (!isApiError(err) || !err.errors.length) return null;
  const out: Record<string, string> = {};
  for (const e of err.errors) {
    const path = e.path.replace(/^mapping\./, '');
    if (!(path in out)) out[path] = e.message;
  }
  return out;
}

const valueAt = (record: Record<string, unknown> | null, path: string): string => {
  if (!record) return '';
  const [head, tail] = path.split('.', 2) as [string, string | undefined];
  let v: unknown = record[head];
  if (tail !== undefined) v = Array.isArray(v) ? v.map((x) => (x as Record<string, unknown>)?.[tail]).filter((x) => x !== undefined).join(', ') : (v as Record<string, unknown> | undefined)?.[tail];
  if (v === undefined || v === null) return '';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
};

/**
 * An amount the server read (integer minor units) as money: in the row's own currency when the
 * file gives one Intl knows, else in the program's spend currency. Anything else (a text the
 * server rejected) is shown as it came.
 */
function formatAmounts(locale: string, raw: string, record: Record<string, unknown> | null, spendCurrency: string): string {
  const own = typeof record?.currency === 'string' && /^[A-Z]{3}$/.test(record.currency) ? record.currency : spendCurrency;
  return raw
    .split(', ')
    .map((v) => {
      if (!/^-?\d+$/.test(v)) return v;
      try {
        return formatMoney(locale, Number(v), own);
      } catch {
        return formatMoney(locale, Number(v), spendCurrency);
      }
    })
    .join(', ');
}

/** A date the server read, as the program sees it: in the file's time zone (the mapping's, else the program's). */
function formatInZone(locale: string, iso: string, timeZone: string | undefined): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  try {
    return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone, timeZoneName: 'short' }).format(d);
  } catch {
    return iso;
  }
}

function PreviewTable({ preview, paths, datePaths, amountPaths, timeZone }: { preview: ImportPreview; paths: string[]; datePaths: Set<string>; amountPaths: Set<string>; timeZone: string | undefined }) {
  const { t } = useTranslation();
  const { locale } = useFormat();
  const spend = useSpend();
  const cell = (record: Record<string, unknown> | null, p: string): string => {
    if (datePaths.has(p) && typeof record?.[p] === 'string') return formatInZone(locale, record[p] as string, timeZone);
    const raw = valueAt(record, p);
    return amountPaths.has(p) && raw !== '' ? formatAmounts(locale, raw, record, spend.iso) : raw;
  };
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table striped data-testid="import-preview">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('imports.preview.row')}</Table.Th>
            {paths.map((p) => (
              <Table.Th key={p} className="mono">
                {p}
              </Table.Th>
            ))}
            <Table.Th>{t('imports.preview.errors')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {preview.rows.map((r) => {
            const bad = new Set(r.errors.map((e) => e.field).filter(Boolean));
            return (
              <Table.Tr key={r.row} data-testid="preview-row" data-ok={r.errors.length ? 'no' : 'yes'}>
                <Table.Td>{r.row}</Table.Td>
                {paths.map((p) => (
                  <Table.Td key={p} bg={bad.has(p) ? 'red.0' : undefined} className="mono" title={amountPaths.has(p) ? valueAt(r.record, p) : undefined}>
                    {cell(r.record, p)}
                  </Table.Td>
                ))}
                <Table.Td>
                  {r.errors.length ? (
                    <Stack gap={2}>
                      {r.errors.map((e, i) => (
                        <Text key={i} size="xs" c="red.9">
                          {[e.field, e.column ? `«${e.column}»` : null].filter(Boolean).join(' ')}
                          {e.field || e.column ? ': ' : ''}
                          {e.reason}
                        </Text>
                      ))}
                    </Stack>
                  ) : (
                    <Badge variant="light" color="teal">
                      {t('imports.preview.ok')}
                    </Badge>
                  )}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function Stat({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <Card withBorder padding="sm">
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={700} data-testid={testId}>
        {value}
      </Text>
    </Card>
  );
}

/** Rows, speed, time left and the counts, while the import runs and once it has finished. */
function ProgressReport({ view }: { view: ImportView }) {
  const { t } = useTranslation();
  const f = useFormat();
  const [downloadError, setDownloadError] = useState<unknown>(null);
  const p = view.progress;
  const running = view.status === 'running';
  const share = p.totalRows ? Math.min(100, (p.rowsRead / p.totalRows) * 100) : null;
  const eta = p.etaSeconds === null ? '—' : p.etaSeconds < 60 ? t('imports.progress.seconds', { count: Math.ceil(p.etaSeconds) }) : t('imports.progress.minutes', { count: Math.ceil(p.etaSeconds / 60) });
  const seconds = view.startedAt && view.finishedAt ? (new Date(view.finishedAt).getTime() - new Date(view.startedAt).getTime()) / 1000 : null;

  async function download() {
    setDownloadError(null);
    try {
      const blob = await fetchRejects(view.id);
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = `${view.fileName.replace(/\.[^.]+$/, '')}-rejects.csv`;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (err) {
      setDownloadError(err);
    }
  }

  return (
    <Stack gap="sm" data-testid="import-progress">
      <Group gap="xs">
        <Title order={2} size="h4">
          {running ? t('imports.progress.running') : t('imports.progress.report')}
        </Title>
        {view.dryRun ? <Badge variant="outline">{t('imports.run.dryRunBadge')}</Badge> : null}
        {running ? <Loader size="xs" aria-hidden /> : null}
      </Group>
      <Progress
        value={share ?? 100}
        striped={running}
        animated={running && share === null}
        color={view.status === 'failed' ? 'red' : view.status === 'completed' ? 'teal' : 'blue'}
        aria-label={t('imports.progress.rows')}
        size="lg"
      />
      <SimpleGrid cols={{ base: 2, sm: 3, lg: 6 }}>
        <Stat label={t('imports.progress.rows')} value={p.totalRows === null ? f.number(p.rowsRead) : t('imports.progress.rowsOf', { read: f.number(p.rowsRead), total: f.number(p.totalRows) })} testId="import-rows" />
        <Stat label={t('imports.progress.speed')} value={p.rowsPerSecond === null ? '—' : t('imports.progress.perSecond', { n: f.number(Math.round(p.rowsPerSecond)) })} />
        <Stat label={running ? t('imports.progress.eta') : t('imports.progress.took')} value={running ? eta : seconds === null ? '—' : t('imports.progress.seconds', { count: Math.max(0, Math.round(seconds)) })} />
        <Stat label={view.dryRun ? t('imports.progress.valid') : t('imports.progress.processed')} value={f.number(p.processed)} testId="import-processed" />
        <Stat label={t('imports.progress.duplicates')} value={f.number(p.duplicates)} testId="import-duplicates" />
        <Stat label={t('imports.progress.rejected')} value={f.number(p.rejected)} testId="import-rejected" />
      </SimpleGrid>
      {view.status === 'completed' ? (
        <Alert color={p.rejected ? 'yellow' : 'teal'} variant="light" title={view.dryRun ? t('imports.progress.dryRunDone') : t('imports.progress.done')} data-testid="import-report">
          {t('imports.progress.summary', { processed: f.number(p.processed), duplicates: f.number(p.duplicates), rejected: f.number(p.rejected) })}
        </Alert>
      ) : null}
      {view.status === 'failed' ? (
        <Alert color="red" variant="light" title={t('imports.progress.failed')} role="alert">
          {view.error ?? ''}
        </Alert>
      ) : null}
      {!running && p.rejected > 0 ? (
        <Group>
          <Button variant="default" onClick={() => void download()} data-testid="download-rejects">
            {t('imports.progress.downloadRejects')}
          </Button>
          <Text size="sm" c="dimmed">
            {t('imports.progress.rejectsHint')}
          </Text>
        </Group>
      ) : null}
      <ErrorAlert error={downloadError} />
    </Stack>
  );
}

/** The route's page; a new import (after "import for real") is a new page, with fresh state. */
export function ImportDetailPage() {
  const { importId = '' } = useParams();
  return <ImportDetail key={importId} importId={importId} />;
}

/** One import: what the server read, the mapping editor, a preview, the run and its progress. */
function ImportDetail({ importId }: { importId: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const { can } = useSession();
  const write = can(IMPORTS_WRITE);
  const preview = usePreviewImport(importId);
  const run = useRunImport(importId);
  const imp = useImport(importId, run.isSuccess);
  const view = imp.data;
  const [draft, setDraft] = useState<MappingDraft | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [dryRun, setDryRun] = useState(false);
  const navigate = useNavigate();
  const carried = ((useLocation().state as { mapping?: ImportMapping } | null)?.mapping ?? null) as ImportMapping | null;
  const again = useUploadImport();
  const progressRef = useRef<HTMLDivElement>(null);
  // Once a run starts, its progress (above the mapping) comes into view.
  useEffect(() => {
    if (run.isSuccess) progressRef.current?.scrollIntoView({ block: 'start' });
  }, [run.isSuccess, run.data]);

  // The draft starts from the import (its last mapping, or a guess from the headers) once it has loaded.
  useEffect(() => {
    if (view && !draft) setDraft(initialDraft(view, carried));
  }, [view, draft]);

  const mapping = useMemo(() => (view && draft ? toMapping(view.kind, draft) : null), [view, draft]);
  const program = useProgram().data;
  const mappedPaths = mapping ? Object.keys(mapping.fields) : [];

  function validMapping(): ImportMapping | null {
    if (!mapping) return null;
    const parsed = importMapping.safeParse(mapping);
    if (!parsed.success) {
      setErrors(issuesToErrors(parsed.error.issues));
      return null;
    }
    setErrors({});
    return mapping;
  }

  async function doPreview() {
    const m = validMapping();
    if (!m) return;
    try {
      await preview.mutateAsync({ mapping: m, limit: 20 });
    } catch (err) {
      const fe = serverErrors(err);
      if (fe) setErrors(fe);
    }
  }

  async function doRun() {
    const m = validMapping();
    if (!m) return;
    try {
      await run.mutateAsync({ mapping: m, dryRun });
    } catch (err) {
      const fe = serverErrors(err);
      if (fe) setErrors(fe);
    }
  }

  /** After a dry run: the same file uploaded again, opened with the same mapping, ready to run for real. */
  async function importForReal() {
    const file = rememberedFile(importId);
    if (!file || !view) return;
    const next = await again.mutateAsync({ kind: view.kind, file });
    navigate(`/imports/${encodeURIComponent(next.id)}`, { state: { mapping: mapping ?? view.mapping } });
  }

  if (imp.error) return <ErrorAlert error={imp.error} />;
  if (!view || !draft) return <Loader aria-label={t('common.loading')} />;
  const running = view.status === 'running';
  const started = view.status !== 'uploaded';

  return (
    <Page
      title={
        <>
          {view.fileName} <StatusBadge status={view.status} />
        </>
      }
      actions={
        <Anchor component={Link} to="/imports" size="sm">
          {t('imports.back')}
        </Anchor>
      }
    >
      <Text size="sm" c="dimmed">
        {t('imports.detected', {
          kind: t(`imports.kinds.${view.kind}`),
          format: view.detected.format.toUpperCase(),
          size: f.number(Math.ceil(view.sizeBytes / 1024)),
          columns: view.detected.columns.length,
          at: f.dateTime(view.createdAt),
        })}
      </Text>
      <details>
        <summary>
          <Text span size="sm">
            {t('imports.sample')}
          </Text>
        </summary>
        <Table.ScrollContainer minWidth={480}>
          <Table withTableBorder data-testid="import-sample">
            <Table.Thead>
              <Table.Tr>
                {view.detected.columns.map((c, i) => (
                  <Table.Th key={i}>{c || `#${i + 1}`}</Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {view.detected.sampleRows.map((r, i) => (
                <Table.Tr key={i}>
                  {r.map((v, j) => (
                    <Table.Td key={j} className="mono">
                      {v}
                    </Table.Td>
                  ))}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </details>

      {/* The margin keeps the report's title clear of the fixed header when scrolled to. */}
      <div ref={progressRef} style={{ scrollMarginTop: 72 }}>
        {started ? <ProgressReport view={view} /> : null}
      </div>

      <Title order={2} size="h4">
        {t('imports.mapping.title')}
      </Title>
      <MappingEditor view={view} draft={draft} onChange={setDraft} errors={errors} disabled={!write || running} />
      {Object.keys(errors).length ? (
        // Next to the fields above, and all of them here: a path the editor has no field for still shows.
        <Alert color="red" variant="light" title={t('imports.mapping.invalid')} role="alert" data-testid="mapping-errors">
          {Object.entries(errors).map(([path, message]) => (
            <div key={path}>
              <Code>{path}</Code> {message}
            </div>
          ))}
        </Alert>
      ) : null}
      <details>
        <summary>
          <Text span size="sm">
            {t('imports.mapping.json')}
          </Text>
        </summary>
        <Code block>{JSON.stringify(mapping, null, 2)}</Code>
      </details>

      <Group>
        <Button variant="default" onClick={() => void doPreview()} loading={preview.isPending} disabled={running || !!view.filePurgedAt /* the file of a long-finished import is deleted: nothing to preview */}>
          {t('imports.preview.button')}
        </Button>
        {write && !started ? (
          <>
            <Switch label={t('imports.run.dryRun')} description={dryRun ? t('imports.run.dryRunHint') : undefined} checked={dryRun} onChange={(e) => setDryRun(e.currentTarget.checked)} />
            <Button onClick={() => void doRun()} loading={run.isPending}>
              {dryRun ? t('imports.run.validate') : t('imports.run.button')}
            </Button>
          </>
        ) : null}
        {write && view.status === 'completed' && view.dryRun && rememberedFile(importId) ? (
          <Button onClick={() => void importForReal()} loading={again.isPending}>
            {t('imports.run.forReal')}
          </Button>
        ) : null}
      </Group>
      {write && started && !running && !(view.dryRun && view.status === 'completed' && rememberedFile(importId)) ? (
        <Text size="sm" c="dimmed">
          {t('imports.run.ranOnce')}{' '}
          <Anchor component={Link} to="/imports" size="sm">
            {t('imports.upload.title')}
          </Anchor>
        </Text>
      ) : null}
      <ErrorAlert error={again.error} />
      {!serverErrors(preview.error) ? <ErrorAlert error={preview.error} /> : null}
      {!serverErrors(run.error) ? <ErrorAlert error={run.error} /> : null}
      {preview.data ? (
        <Stack gap="xs">
          <Title order={2} size="h4">
            {t('imports.preview.title', { count: preview.data.rows.length })}
          </Title>
          <PreviewTable preview={preview.data} paths={mappedPaths} datePaths={new Set(IMPORT_FIELDS[view.kind].filter((f) => f.type === 'date').map((f) => f.path))} amountPaths={new Set(IMPORT_FIELDS[view.kind].filter((f) => f.type === 'amount').map((f) => f.path))} timeZone={mapping?.timeZone ?? program?.timeZone} />
        </Stack>
      ) : null}
    </Page>
  );
}
