import { Alert, Button, Card, Checkbox, Group, MultiSelect, NumberInput, Select, Stack, TagsInput, Text, Textarea, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { conditionProblems, ruleInput } from '@contracts/rules';
import { isApiError } from '@shared/api/api-error';
import { useSession } from '../../auth/components/session-provider';
import { useEventTypes, useProgram } from '../../program/hooks/use-program';
import { useTiers } from '../../tiers/hooks/use-tiers';
import { ErrorAlert } from '../../ui/components/error-alert';
import { Page } from '../../ui/components/page';
import { issuesToErrors } from '../../ui/hooks/use-contract-form';
import type { RuleInput, RuleView } from '../api/rules-api';
import { useRule, useSaveRule, useSimulateRule } from '../hooks/use-rules';
import { ConditionBuilder } from './condition-builder';
import { draftToEffect, effectToDraft, newEffect, type EffectDraft } from './effect-draft';
import { EffectsEditor } from './effects-editor';
import { SimulationPanel } from './simulation-panel';

type Draft = {
  name: string;
  description: string;
  eventType: string;
  status: 'active' | 'draft' | 'paused';
  priority: number | string;
  exclusive: boolean;
  condition: unknown;
  effects: EffectDraft[];
  targetTypes: string[];
  targetRoles: string[];
  // Window and targeting (#21)
  activeFrom: string;
  activeTo: string;
  targetSegments: string[];
  targetRegions: string[];
  targetTiers: string[];
  pilotGroup: string;
  budgetOn: boolean;
  budgetCurrency: string;
  budgetMax: number | string;
};

const PERIODS = { '30': 30, '90': 90, '365': 365 } as const;

/**
 * The window is edited as whole days (#21): from the start of the first day to the end of the
 * last one, in UTC; `activeTo` is stored as the start of the day after the last day.
 */
const startOf = (day: string) => `${day}T00:00:00.000Z`;
const dayAfter = (day: string) => new Date(Date.parse(startOf(day)) + 86_400_000).toISOString();
const dayBefore = (iso: string) => new Date(Date.parse(iso) - 1).toISOString().slice(0, 10);
const validDay = (d: string) => /^\d{4}-\d{2}-\d{2}$/.test(d) && Number.isFinite(Date.parse(startOf(d)));

function toDraft(r: RuleView | undefined, currency: string): Draft {
  return {
    name: r?.name ?? '',
    description: r?.description ?? '',
    eventType: r?.eventType ?? 'purchase',
    status: r?.status ?? 'draft',
    priority: r?.priority ?? 0,
    exclusive: r?.exclusive ?? false,
    condition: r?.condition ?? null,
    effects: r ? r.effects.map(effectToDraft) : [newEffect(currency)],
    targetTypes: r?.target?.types ?? [],
    targetRoles: r?.target?.roles ?? [],
    activeFrom: r?.activeFrom ? r.activeFrom.slice(0, 10) : '',
    activeTo: r?.activeTo ? dayBefore(r.activeTo) : '',
    targetSegments: r?.target?.segments ?? [],
    targetRegions: r?.target?.regions ?? [],
    targetTiers: r?.target?.tiers ?? [],
    pilotGroup: r?.target?.pilotGroup ?? '',
    budgetOn: Boolean(r?.budget),
    budgetCurrency: r?.budget?.currency ?? currency,
    budgetMax: r?.budget?.max ?? '',
  };
}

/** The request body, plus the paths of effects whose custom JSON does not parse. */
function toBody(d: Draft): { body: RuleInput; jsonErrors: string[] } {
  const jsonErrors: string[] = [];
  const effects = d.effects.map((e, i) => {
    const r = draftToEffect(e);
    if (r.jsonError) jsonErrors.push(`effects.${i}.amount`);
    return r.effect;
  });
  const orNull = (l: string[]) => (l.length ? l : null);
  const pilotGroup = d.pilotGroup.trim() || null;
  const anyTarget = d.targetTypes.length || d.targetRoles.length || d.targetSegments.length || d.targetRegions.length || d.targetTiers.length || pilotGroup;
  const target = anyTarget
    ? { types: orNull(d.targetTypes), segments: orNull(d.targetSegments), regions: orNull(d.targetRegions), roles: orNull(d.targetRoles), tiers: orNull(d.targetTiers), pilotGroup }
    : null;
  const body: RuleInput = {
    name: d.name.trim(),
    description: d.description.trim() || null,
    eventType: d.eventType,
    condition: d.condition === null ? undefined : (d.condition as RuleInput['condition']),
    effects,
    priority: typeof d.priority === 'number' ? d.priority : Number(d.priority || 0),
    exclusive: d.exclusive,
    status: d.status,
    target,
    activeFrom: d.activeFrom && validDay(d.activeFrom) ? startOf(d.activeFrom) : null,
    activeTo: d.activeTo && validDay(d.activeTo) ? dayAfter(d.activeTo) : null,
    budget: d.budgetOn ? { currency: d.budgetCurrency, max: Number(d.budgetMax) } : null,
  };
  return { body, jsonErrors };
}

export function RuleEditorPage() {
  const { t } = useTranslation();
  const id = useParams().ruleId;
  const navigate = useNavigate();
  const { can } = useSession();
  const program = useProgram().data;
  const eventTypes = useEventTypes().data ?? [];
  const tiers = useTiers().data ?? [];
  const rule = useRule(id);
  const save = useSaveRule(id);
  const simulate = useSimulateRule(id);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [period, setPeriod] = useState<keyof typeof PERIODS>('90');
  const [saved, setSaved] = useState(false);
  const readOnly = !can('rules:write');

  useEffect(() => {
    if (draft || !program || (id && !rule.data)) return;
    setDraft(toDraft(rule.data, program.currencies[0]?.code ?? 'points'));
  }, [draft, program, id, rule.data]);

  if (rule.error) return <ErrorAlert error={rule.error} />;
  if (!draft) return null;
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => {
    setDraft({ ...draft, [k]: v });
    setSaved(false);
  };

  /** Same schema as the API: the form refuses what the server would, with the same paths. */
  function validated(): RuleInput | null {
    if (!draft) return null;
    const { body, jsonErrors } = toBody(draft);
    const parsed = ruleInput.safeParse(body);
    const errs = parsed.success ? {} : issuesToErrors(parsed.error.issues);
    for (const p of jsonErrors) errs[p] = t('rules.invalidJson');
    // The same checks as the server (#21): no comparison with an empty value, a real window.
    if (conditionProblems(body.condition).length) errs.condition = t('rules.sentence.emptyValue');
    if (draft.activeFrom && !validDay(draft.activeFrom)) errs.activeFrom = t('rules.sentence.badDate');
    if (draft.activeTo && !validDay(draft.activeTo)) errs.activeTo = t('rules.sentence.badDate');
    if (body.activeFrom && body.activeTo && body.activeFrom >= body.activeTo) errs.activeTo = t('rules.sentence.endBeforeStart');
    setErrors(errs);
    return Object.keys(errs).length ? null : parsed.success ? parsed.data : null;
  }

  async function onSave() {
    const body = validated();
    if (!body) return;
    try {
      const savedRule = await save.mutateAsync(body);
      setSaved(true);
      if (!id) navigate(`/rules/${savedRule.id}`, { replace: true });
    } catch (err) {
      if (isApiError(err) && err.errors.length) setErrors(err.fieldErrors());
    }
  }

  async function onSimulate() {
    const body = validated();
    if (!body) return;
    const to = new Date();
    const from = new Date(to.getTime() - PERIODS[period] * 86_400_000);
    try {
      await simulate.mutateAsync({ from: from.toISOString(), to: to.toISOString(), rule: body });
    } catch (err) {
      // A draft's errors come back under `rule.`; the form's fields have the rule's own paths.
      if (isApiError(err) && err.errors.length) setErrors(Object.fromEntries(Object.entries(err.fieldErrors()).map(([k, v]) => [k.replace(/^rule\./, ''), v])));
    }
  }

  const roles = program?.roles ?? [];
  return (
    <Page title={id ? t('rules.editTitle', { name: rule.data?.name ?? '' }) : t('rules.newTitle')}>
      <fieldset disabled={readOnly} style={{ border: 0, padding: 0, margin: 0 }}>
        <Stack gap="md" maw={960}>
          <Card withBorder>
            <Stack gap="sm">
              <TextInput label={t('rules.name')} value={draft.name} onChange={(e) => set('name', e.currentTarget.value)} error={errors.name} required />
              <Textarea label={t('rules.description')} value={draft.description} onChange={(e) => set('description', e.currentTarget.value)} error={errors.description} autosize minRows={1} />
              <Group grow align="flex-start" wrap="wrap">
                <Select
                  label={t('rules.eventType')}
                  data={eventTypes.map((x) => ({ value: x.code, label: x.name }))}
                  value={draft.eventType}
                  onChange={(v) => set('eventType', v ?? 'purchase')}
                  error={errors.eventType}
                  allowDeselect={false}
                  searchable
                />
                <Select
                  label={t('rules.status')}
                  data={(['draft', 'active', 'paused'] as const).map((s) => ({ value: s, label: t(`rules.statuses.${s}`) }))}
                  value={draft.status}
                  onChange={(v) => set('status', v === 'active' || v === 'paused' ? v : 'draft')}
                  allowDeselect={false}
                />
                <NumberInput label={t('rules.priority')} value={draft.priority} onChange={(v) => set('priority', v)} error={errors.priority} allowDecimal={false} min={-1000} max={1000} />
              </Group>
              <Checkbox label={t('rules.exclusive')} description={t('rules.exclusiveHint')} checked={draft.exclusive} onChange={(e) => set('exclusive', e.currentTarget.checked)} />
            </Stack>
          </Card>
          <Card withBorder>
            <ConditionBuilder value={draft.condition} onChange={(c) => set('condition', c)} error={errors.condition ?? Object.entries(errors).find(([k]) => k.startsWith('condition.'))?.[1]} />
          </Card>
          <Card withBorder>
            <Stack gap="sm">
              <Text fw={500} size="sm">
                {t('rules.sentence.window')}
              </Text>
              <Group grow align="flex-start" wrap="wrap">
                <TextInput type="date" label={t('rules.sentence.activeFrom')} value={draft.activeFrom} onChange={(e) => set('activeFrom', e.currentTarget.value)} error={errors.activeFrom} data-testid="rule-active-from" />
                <TextInput type="date" label={t('rules.sentence.activeTo')} description={t('rules.sentence.activeToHint')} value={draft.activeTo} onChange={(e) => set('activeTo', e.currentTarget.value)} error={errors.activeTo} data-testid="rule-active-to" />
              </Group>
              <Text fw={500} size="sm">
                {t('rules.sentence.targeting')}
              </Text>
              <Group grow align="flex-start" wrap="wrap">
                <TagsInput label={t('rules.targetTypes')} description={t('rules.targetHint')} value={draft.targetTypes} onChange={(v) => set('targetTypes', v)} error={errors['target.types']} />
                <MultiSelect
                  label={t('rules.sentence.targetTiers')}
                  description={t('rules.targetHint')}
                  data={tiers.map((x) => ({ value: x.code, label: x.name }))}
                  value={draft.targetTiers}
                  onChange={(v) => set('targetTiers', v)}
                  error={errors['target.tiers']}
                  data-testid="rule-target-tiers"
                  searchable
                />
              </Group>
              <Group grow align="flex-start" wrap="wrap">
                <TagsInput label={t('rules.sentence.targetSegments')} description={t('rules.targetHint')} value={draft.targetSegments} onChange={(v) => set('targetSegments', v)} error={errors['target.segments']} />
                <TagsInput label={t('rules.sentence.targetRegions')} description={t('rules.targetHint')} value={draft.targetRegions} onChange={(v) => set('targetRegions', v)} error={errors['target.regions']} />
              </Group>
              <Group grow align="flex-start" wrap="wrap">
                <MultiSelect
                  label={t('rules.sentence.targetRoles')}
                  description={t('rules.targetHint')}
                  data={roles.map((r) => ({ value: r.code, label: r.name }))}
                  value={draft.targetRoles}
                  onChange={(v) => set('targetRoles', v)}
                  error={errors['target.roles'] ?? Object.entries(errors).find(([k]) => k.startsWith('target.roles.'))?.[1]}
                  searchable
                />
                <TextInput label={t('rules.sentence.pilotGroup')} description={t('rules.sentence.pilotGroupHint')} value={draft.pilotGroup} onChange={(e) => set('pilotGroup', e.currentTarget.value)} error={errors['target.pilotGroup']} />
              </Group>
              <Group align="flex-end" wrap="wrap">
                <Checkbox label={t('rules.budget')} checked={draft.budgetOn} onChange={(e) => set('budgetOn', e.currentTarget.checked)} mb={8} />
                {draft.budgetOn ? (
                  <>
                    <Select label={t('rules.currency')} data={(program?.currencies ?? []).map((c) => ({ value: c.code, label: c.name }))} value={draft.budgetCurrency} onChange={(v) => set('budgetCurrency', v ?? '')} allowDeselect={false} w={200} />
                    <NumberInput label={t('rules.budgetMax')} value={draft.budgetMax} onChange={(v) => set('budgetMax', v)} error={errors['budget.max'] ?? errors.budget} min={1} allowDecimal={false} w={180} />
                  </>
                ) : null}
              </Group>
            </Stack>
          </Card>
          <Card withBorder>
            <EffectsEditor effects={draft.effects} onChange={(e) => set('effects', e)} errors={errors} />
          </Card>
          {errors['(body)'] ? <Alert color="red">{errors['(body)']}</Alert> : null}
          <ErrorAlert error={save.error ?? simulate.error} />
          {saved ? (
            <Alert color="teal" variant="light" role="status">
              {t('rules.saved')}
            </Alert>
          ) : null}
          <Group justify="space-between" wrap="wrap">
            <Group gap="xs" align="flex-end">
              <Select
                label={t('rules.simulation.period')}
                data={Object.keys(PERIODS).map((p) => ({ value: p, label: t(`rules.simulation.last${p}`) }))}
                value={period}
                onChange={(v) => setPeriod(v === '30' || v === '365' ? v : '90')}
                allowDeselect={false}
                w={200}
              />
              <Button variant="light" onClick={onSimulate} loading={simulate.isPending}>
                {t('rules.simulate')}
              </Button>
            </Group>
            {!readOnly ? (
              <Button onClick={onSave} loading={save.isPending}>
                {t('rules.save')}
              </Button>
            ) : null}
          </Group>
          {simulate.data ? <SimulationPanel result={simulate.data} /> : null}
        </Stack>
      </fieldset>
    </Page>
  );
}
