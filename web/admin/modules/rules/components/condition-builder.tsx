import { Alert, Button, Group, SegmentedControl, Stack, Switch, Text, Textarea, TextInput } from '@mantine/core';
import { QueryBuilderMantine } from '@react-querybuilder/mantine';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { QueryBuilder, formatQuery, type Field, type RuleGroupType } from 'react-querybuilder';
import { parseJsonLogic } from 'react-querybuilder/parseJsonLogic';
import { NUMERIC_CONDITION_FIELDS } from '@contracts/rules';
import { decimalToMinor, formatMoney } from '@shared/format/format';
import { builderToLogic, logicToBuilder, MONEY_FIELDS, toJsonLogic } from './condition-money';
import { useProgram, useSpend } from '../../program/hooks/use-program';
import { conditionSentence } from './condition-sentence';

/** What a condition can look at: the rules engine's context (event, account with stats, member). */
const BASE_FIELDS: { name: string; number?: boolean }[] = [
  { name: 'event.amount', number: true },
  { name: 'event.currency' },
  { name: 'account.type' },
  { name: 'account.segment' },
  { name: 'account.region' },
  { name: 'account.tier' },
  { name: 'account.externalId' },
  { name: 'account.stats.purchases', number: true },
  { name: 'account.stats.spend12m', number: true },
  { name: 'member.role' },
];


/** The builder refuses an empty value (#21): the server would too (422 at the condition's path). */
function valueValidator(numeric: boolean, moneyDigits: number | null = null) {
  return (r: { value?: unknown; operator?: string }) => {
    const values = Array.isArray(r.value) ? r.value : typeof r.value === 'string' && (r.operator === 'in' || r.operator === 'notIn' || r.operator === 'between') ? r.value.split(',') : [r.value];
    const ok = (v: unknown) => (moneyDigits !== null ? decimalToMinor(String(v).trim(), moneyDigits) !== null : !numeric || Number.isFinite(Number(v)));
    return values.length > 0 && values.every((v) => v !== undefined && v !== null && String(v).trim() !== '' && ok(v));
  };
}

const TEXT_OPS = ['=', '!=', 'in', 'notIn'] as const;
const NUMBER_OPS = ['=', '!=', '<', '<=', '>', '>=', 'between'] as const;
const EMPTY: RuleGroupType = { combinator: 'and', rules: [] };

function varsOf(logic: unknown, into: Set<string>): Set<string> {
  if (Array.isArray(logic)) logic.forEach((x) => varsOf(x, into));
  else if (logic && typeof logic === 'object') {
    for (const [k, v] of Object.entries(logic)) {
      if (k === 'var' && typeof v === 'string') into.add(v);
      else varsOf(v, into);
    }
  }
  return into;
}

type BuilderProps = { value: unknown; onChange: (logic: unknown) => void; error?: string };

/** Waits for the program: money fields are typed in its spend currency's major units. */
export function ConditionBuilder(props: BuilderProps) {
  return useProgram().data ? <ConditionBuilderFor {...props} /> : null;
}

function ConditionBuilderFor({ value, onChange, error }: BuilderProps) {
  const { t, i18n } = useTranslation();
  const program = useProgram().data;
  const spendCurrency = useSpend();
  const digits = spendCurrency.digits;
  /** The builder's query (money in major units) as the JsonLogic stored (minor units). */
  const logicOf = (q: RuleGroupType) => builderToLogic(q, digits);
  // Parsed once: after that the builder owns the state and reports changes up.
  const [initial] = useState(() => logicToBuilder(value, digits));
  const [mode, setMode] = useState<'builder' | 'json'>(initial ? 'builder' : 'json');
  const [query, setQuery] = useState<RuleGroupType>(initial ?? EMPTY);
  const [json, setJson] = useState(value === null || value === undefined ? '' : JSON.stringify(value, null, 2));
  const [jsonError, setJsonError] = useState<string | null>(null);
  const [extra, setExtra] = useState<string[]>(() => [...varsOf(value, new Set())]);
  const [newField, setNewField] = useState('');
  // Raw JsonLogic is for the people who write it; the sentence is for everyone (#21).
  const [advanced, setAdvanced] = useState(!initial);
  const [current, setCurrent] = useState<unknown>(value ?? null);
  const spend = program?.spendCurrency ?? null;
  const sentence = useMemo(
    () =>
      conditionSentence(current, {
        t,
        locale: i18n.language,
        money: (field, v) => {
          if (!spend || !MONEY_FIELDS.has(field)) return null;
          try {
            return formatMoney(i18n.language, v, spend);
          } catch {
            return null;
          }
        },
      }),
    [current, t, i18n.language, spend],
  );
  const report = (logic: unknown) => {
    setCurrent(logic);
    onChange(logic);
  };

  const fields = useMemo<Field[]>(() => {
    const all = [...BASE_FIELDS];
    for (const name of extra) if (!all.some((f) => f.name === name)) all.push({ name });
    return all.map((f) => ({
      name: f.name,
      label: t(`rules.fields.${f.name.replace(/\./g, '_')}`, { defaultValue: f.name }) + (MONEY_FIELDS.has(f.name) ? ` (${spendCurrency.iso})` : ''),
      inputType: MONEY_FIELDS.has(f.name) ? 'text' : f.number || (NUMERIC_CONDITION_FIELDS as readonly string[]).includes(f.name) ? 'number' : 'text',
      validator: valueValidator(Boolean(f.number), MONEY_FIELDS.has(f.name) ? digits : null),
      operators: (f.number ? NUMBER_OPS : TEXT_OPS).map((op) => ({ name: op, value: op, label: t(`rules.operators.${op}`) })),
    }));
  }, [extra, t, spendCurrency.iso, digits]);

  const translations = useMemo(
    () => ({
      addRule: { label: t('rules.builder.addRule'), title: t('rules.builder.addRule') },
      addGroup: { label: t('rules.builder.addGroup'), title: t('rules.builder.addGroup') },
      removeRule: { label: '×', title: t('rules.builder.remove') },
      removeGroup: { label: '×', title: t('rules.builder.remove') },
      fields: { title: t('rules.builder.field') },
      operators: { title: t('rules.builder.operator') },
      value: { title: t('rules.builder.value') },
      combinators: { title: t('rules.builder.combinator') },
    }),
    [t],
  );
  const combinators = useMemo(() => [{ name: 'and', value: 'and', label: t('rules.builder.and') }, { name: 'or', value: 'or', label: t('rules.builder.or') }], [t]);

  function switchMode(next: string): boolean {
    if (next === 'json') {
      const logic = logicOf(query);
      setJson(logic === null ? '' : JSON.stringify(logic, null, 2));
      setMode('json');
      return true;
    }
    let logic: unknown = null;
    try {
      logic = json.trim() ? JSON.parse(json) : null;
    } catch {
      setJsonError(t('rules.invalidJson'));
      return false;
    }
    const q = logicToBuilder(logic, digits);
    if (!q) {
      setJsonError(t('rules.builder.tooComplex'));
      return false;
    }
    setExtra((x) => [...new Set([...x, ...varsOf(logic, new Set())])]);
    setQuery(q);
    setJsonError(null);
    setMode('builder');
    return true;
  }

  return (
    <Stack gap="xs">
      <Group justify="space-between">
        <Text fw={500} size="sm" id="condition-label">
          {t('rules.condition')}
        </Text>
        <Switch size="sm" label={t('rules.sentence.advanced')} checked={advanced} onChange={(e) => {
            const on = e.currentTarget.checked;
            // Leaving the advanced view goes back to the builder, if the condition fits it.
            if (!on && mode === 'json' && !switchMode('builder')) return;
            setAdvanced(on);
          }}
          data-testid="condition-advanced"
        />
      </Group>
      <Alert variant="light" color={sentence ? 'blue' : 'gray'} p="xs" data-testid="condition-sentence">
        {sentence ?? t('rules.sentence.tooComplex')}
      </Alert>
      <Group justify="flex-end" hidden={!advanced}>
        <SegmentedControl
          size="xs"
          value={mode}
          onChange={(m) => void switchMode(m)}
          data={[
            { value: 'builder', label: t('rules.builder.visual') },
            { value: 'json', label: 'JsonLogic' },
          ]}
          aria-label={t('rules.builder.mode')}
        />
      </Group>
      {mode === 'builder' ? (
        <Stack gap="xs" role="group" aria-labelledby="condition-label" data-testid="condition-builder">
          <QueryBuilderMantine>
            <QueryBuilder
              fields={fields}
              query={query}
              combinators={combinators}
              translations={translations}
              onQueryChange={(q) => {
                setQuery(q);
                report(logicOf(q));
              }}
            />
          </QueryBuilderMantine>
          <Group gap="xs" align="flex-end" hidden={!advanced}>
            <TextInput size="xs" label={t('rules.builder.customField')} placeholder="event.attributes.cabin" value={newField} onChange={(e) => setNewField(e.currentTarget.value)} />
            <Button
              size="xs"
              variant="default"
              disabled={!/^(event|account|member|line)\.[A-Za-z0-9_.]+$/.test(newField.trim())}
              onClick={() => {
                setExtra((x) => [...new Set([...x, newField.trim()])]);
                setNewField('');
              }}
            >
              {t('rules.builder.addField')}
            </Button>
          </Group>
          {advanced ? (
            <>
              <Text size="xs" c="dimmed">
                {t('rules.builder.preview')}
              </Text>
              <pre className="json" data-testid="condition-jsonlogic">{JSON.stringify(logicOf(query))}</pre>
            </>
          ) : null}
        </Stack>
      ) : (
        <Textarea
          aria-labelledby="condition-label"
          autosize
          minRows={4}
          className="mono"
          value={json}
          error={jsonError ?? undefined}
          onChange={(e) => {
            const text = e.currentTarget.value;
            setJson(text);
            try {
              report(text.trim() ? JSON.parse(text) : null);
              setJsonError(null);
            } catch {
              setJsonError(t('rules.invalidJson'));
            }
          }}
        />
      )}
      {error ? (
        <Text size="sm" c="red.8" role="alert">
          {error}
        </Text>
      ) : null}
    </Stack>
  );
}
