import { ActionIcon, Autocomplete, Button, Fieldset, Group, NumberInput, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ImportMapping, ImportView } from '../api/imports-api';
import { DATE_FORMATS, emptyDraft, IMPORT_FIELDS, type FieldDef, type FieldDraft } from '../fields';

export type MappingOptions = {
  encoding: NonNullable<ImportMapping['encoding']>;
  delimiter: 'auto' | ',' | ';' | '\t';
  decimalSeparator: 'auto' | '.' | ',';
  headerRow: number | string;
  timeZone: string;
  sheet: string;
};
export type Attribute = { name: string; draft: FieldDraft };
export type MappingDraft = { options: MappingOptions; fields: Record<string, FieldDraft>; attributes: Attribute[] };

const NONE = '';
const CONSTANT = '=';
const col = (name: string) => `col:${name}`;

/** The first error at `path` or under it. */
const under = (errors: Record<string, string>, path: string) => errors[path] ?? Object.entries(errors).find(([k]) => k.startsWith(`${path}.`))?.[1];

/**
 * For each Fealty field of the import's kind: a column of the file (with its first value as a
 * hint), a constant, or nothing; with `scale` for amounts, `format` for dates and `prefix` for
 * references. The file's encoding, delimiter and decimal separator default to what the server detects.
 */
export function MappingEditor({ view, draft, onChange, errors, disabled }: { view: ImportView; draft: MappingDraft; onChange: (d: MappingDraft) => void; errors: Record<string, string>; disabled?: boolean }) {
  const { t } = useTranslation();
  const columns = view.detected.columns;
  const first = view.detected.sampleRows[0] ?? [];
  const sourceData = [
    { value: NONE, label: t('imports.mapping.notImported') },
    { value: CONSTANT, label: t('imports.mapping.constant') },
    {
      group: t('imports.mapping.columns'),
      items: columns.map((c, i) => ({ value: col(c), label: first[i] ? `${c || `#${i + 1}`} — ${first[i].slice(0, 40)}` : c || `#${i + 1}` })),
    },
  ];
  const setOption = <K extends keyof MappingOptions>(k: K, v: MappingOptions[K]) => onChange({ ...draft, options: { ...draft.options, [k]: v } });
  const setField = (path: string, d: FieldDraft) => onChange({ ...draft, fields: { ...draft.fields, [path]: d } });
  const setAttribute = (i: number, a: Attribute) => onChange({ ...draft, attributes: draft.attributes.map((x, j) => (j === i ? a : x)) });

  function row(def: FieldDef, d: FieldDraft, set: (d: FieldDraft) => void, errPath: string, label: React.ReactNode, extra?: React.ReactNode) {
    const value = d.source === 'column' ? col(d.column) : d.source === 'value' ? CONSTANT : NONE;
    const error = under(errors, errPath);
    return (
      <Table.Tr key={errPath} data-testid={`map-${def.path}`}>
        <Table.Td>{label}</Table.Td>
        <Table.Td miw={220}>
          <Select
            aria-label={t('imports.mapping.sourceOf', { field: def.path })}
            data={sourceData}
            value={value}
            onChange={(v) => {
              if (!v || v === NONE) set({ ...d, source: 'none' });
              else if (v === CONSTANT) set({ ...d, source: 'value' });
              else set({ ...d, source: 'column', column: v.slice(4), scale: d.scale === '' && def.type === 'amount' ? 2 : d.scale });
            }}
            allowDeselect={false}
            searchable
            error={error}
            disabled={disabled}
          />
        </Table.Td>
        <Table.Td>
          <Group gap="xs" wrap="nowrap">
            {d.source === 'value' ? (
              <TextInput aria-label={t('imports.mapping.valueOf', { field: def.path })} placeholder={def.type === 'boolean' ? 'true / false' : ''} value={d.value} onChange={(e) => set({ ...d, value: e.currentTarget.value })} disabled={disabled} w={200} />
            ) : null}
            {d.source === 'column' && def.type === 'amount' ? (
              <NumberInput
                aria-label={t('imports.mapping.scaleOf', { field: def.path })}
                label={t('imports.mapping.scale')}
                description={t('imports.mapping.scaleHint')}
                value={d.scale}
                onChange={(v) => set({ ...d, scale: v })}
                min={0}
                max={6}
                allowDecimal={false}
                w={150}
                size="xs"
                disabled={disabled}
              />
            ) : null}
            {d.source === 'column' && def.type === 'date' ? (
              <Autocomplete
                aria-label={t('imports.mapping.formatOf', { field: def.path })}
                label={t('imports.mapping.format')}
                description={t('imports.mapping.formatHint')}
                data={DATE_FORMATS}
                value={d.format}
                onChange={(v) => set({ ...d, format: v })}
                w={200}
                size="xs"
                disabled={disabled}
              />
            ) : null}
            {d.source === 'column' && (def.type === 'ref' || def.type === 'text') ? (
              <TextInput
                aria-label={t('imports.mapping.prefixOf', { field: def.path })}
                label={t('imports.mapping.prefix')}
                description={def.type === 'ref' ? t('imports.mapping.prefixHint') : undefined}
                value={d.prefix}
                onChange={(e) => set({ ...d, prefix: e.currentTarget.value })}
                w={150}
                size="xs"
                disabled={disabled}
              />
            ) : null}
            {extra}
          </Group>
        </Table.Td>
      </Table.Tr>
    );
  }

  return (
    <Stack gap="sm">
      <Fieldset legend={t('imports.mapping.file')} disabled={disabled}>
        <Group align="flex-start" wrap="wrap">
          <Select
            label={t('imports.mapping.encoding')}
            data={[
              { value: 'auto', label: t('imports.mapping.auto', { detected: view.detected.encoding ?? '—' }) },
              { value: 'utf-8', label: 'UTF-8' },
              { value: 'utf-16le', label: 'UTF-16 LE' },
              { value: 'utf-16be', label: 'UTF-16 BE' },
              { value: 'windows-1251', label: 'Windows-1251' },
              { value: 'windows-1252', label: 'Windows-1252' },
            ]}
            value={draft.options.encoding}
            onChange={(v) => setOption('encoding', (v ?? 'auto') as MappingOptions['encoding'])}
            allowDeselect={false}
            error={errors.encoding}
            w={200}
          />
          <Select
            label={t('imports.mapping.delimiter')}
            data={[
              { value: 'auto', label: t('imports.mapping.auto', { detected: view.detected.delimiter === '\t' ? t('imports.mapping.tab') : (view.detected.delimiter ?? '—') }) },
              { value: ';', label: t('imports.mapping.semicolon') },
              { value: ',', label: t('imports.mapping.comma') },
              { value: '\t', label: t('imports.mapping.tab') },
            ]}
            value={draft.options.delimiter}
            onChange={(v) => setOption('delimiter', (v ?? 'auto') as MappingOptions['delimiter'])}
            allowDeselect={false}
            error={errors.delimiter}
            w={200}
          />
          <Select
            label={t('imports.mapping.decimalSeparator')}
            data={[
              { value: 'auto', label: t('imports.mapping.auto', { detected: view.detected.decimalSeparator ?? '—' }) },
              { value: ',', label: t('imports.mapping.decimalComma') },
              { value: '.', label: t('imports.mapping.decimalPoint') },
            ]}
            value={draft.options.decimalSeparator}
            onChange={(v) => setOption('decimalSeparator', (v ?? 'auto') as MappingOptions['decimalSeparator'])}
            allowDeselect={false}
            error={errors.decimalSeparator}
            w={200}
          />
          <NumberInput label={t('imports.mapping.headerRow')} value={draft.options.headerRow} onChange={(v) => setOption('headerRow', v)} min={1} max={1000} allowDecimal={false} error={errors.headerRow} w={130} />
          <TextInput label={t('imports.mapping.timeZone')} description={t('imports.mapping.timeZoneHint')} placeholder="Europe/Paris" value={draft.options.timeZone} onChange={(e) => setOption('timeZone', e.currentTarget.value)} error={errors.timeZone} w={200} />
          {view.detected.format === 'xlsx' ? (
            <Select label={t('imports.mapping.sheet')} data={view.detected.sheets} value={draft.options.sheet || null} onChange={(v) => setOption('sheet', v ?? '')} clearable placeholder={view.detected.sheets[0]} error={errors.sheet} w={200} />
          ) : null}
        </Group>
      </Fieldset>
      <Table.ScrollContainer minWidth={720}>
        <Table striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('imports.mapping.field')}</Table.Th>
              <Table.Th>{t('imports.mapping.source')}</Table.Th>
              <Table.Th>{t('imports.mapping.options')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {IMPORT_FIELDS[view.kind].map((def) =>
              row(
                def,
                draft.fields[def.path] ?? emptyDraft(),
                (d) => setField(def.path, d),
                `fields.${def.path}`,
                <>
                  <Text size="sm" className="mono">
                    {def.path}
                    {def.required ? <span aria-hidden> *</span> : null}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {t(`imports.fields.${view.kind}.${def.path.replace('.', '_')}`)}
                    {def.required ? ` · ${t('imports.mapping.required')}` : ''}
                  </Text>
                </>,
              ),
            )}
            {draft.attributes.map((a, i) =>
              row(
                { path: `attributes.${a.name}`, type: 'text', hints: [] },
                a.draft,
                (d) => setAttribute(i, { ...a, draft: d }),
                `fields.attributes.${a.name}`,
                <TextInput
                  aria-label={t('imports.mapping.attributeName')}
                  leftSection={<Text size="xs">attributes.</Text>}
                  leftSectionWidth={78}
                  value={a.name}
                  onChange={(e) => setAttribute(i, { ...a, name: e.currentTarget.value })}
                  error={errors[`fields.attributes.${a.name}`]}
                  disabled={disabled}
                />,
                <ActionIcon variant="subtle" color="red" aria-label={t('imports.mapping.removeAttribute', { name: a.name })} onClick={() => onChange({ ...draft, attributes: draft.attributes.filter((_, j) => j !== i) })} disabled={disabled}>
                  ×
                </ActionIcon>,
              ),
            )}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Group>
        <Button variant="light" size="xs" onClick={() => onChange({ ...draft, attributes: [...draft.attributes, { name: '', draft: { ...emptyDraft(), source: 'column', column: columns[0] ?? '' } }] })} disabled={disabled}>
          {t('imports.mapping.addAttribute')}
        </Button>
      </Group>
    </Stack>
  );
}
