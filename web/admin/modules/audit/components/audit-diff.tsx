import { Anchor, Code, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useAccount } from '../../accounts/hooks/use-accounts';
import { useMember } from '../../members/hooks/use-members';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const show = (v: unknown) => (v === null || v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v));

/** The fields an entry changed, as "status: active → left"; a creation lists what was set. */
export function diffLines(before: unknown, after: unknown): { key: string; from?: string; to: string }[] {
  if (!isObject(before) && !isObject(after)) return before === after ? [] : [{ key: '', from: show(before), to: show(after) }];
  const b = isObject(before) ? before : {};
  const a = isObject(after) ? after : {};
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])];
  const created = !isObject(before);
  return keys
    .filter((k) => JSON.stringify(b[k]) !== JSON.stringify(a[k]))
    .map((k) => (created ? { key: k, to: show(a[k]) } : { key: k, from: show(b[k]), to: show(a[k]) }));
}

export function AuditDiff({ before, after }: { before: unknown; after: unknown }) {
  const { t } = useTranslation();
  const lines = diffLines(before, after);
  if (!lines.length) return <Text size="sm" c="dimmed">{t('admin.audit.noChange')}</Text>;
  return (
    <Stack gap={2} data-testid="audit-diff">
      {lines.map((l) => (
        <Text size="sm" key={l.key}>
          {l.key ? <b>{l.key}: </b> : null}
          {l.from !== undefined ? (
            <>
              <Code>{l.from}</Code> → <Code>{l.to}</Code>
            </>
          ) : (
            <Code>{l.to}</Code>
          )}
        </Text>
      ))}
    </Stack>
  );
}

/** The object by its name, linked, for accounts and members; otherwise its id. */
export function AuditObject({ type, id }: { type: string; id: string | null }) {
  const account = useAccount(type === 'account' && id ? id : '').data;
  const member = useMember(type === 'member' && id ? id : '');
  if (!id) return null;
  if (type === 'account')
    return (
      <Anchor component={Link} to={`/accounts/${id}`} size="sm" onClick={(e) => e.stopPropagation()}>
        {account?.name ?? id}
      </Anchor>
    );
  if (type === 'member')
    return (
      <Anchor component={Link} to={`/members/${id}`} size="sm" onClick={(e) => e.stopPropagation()}>
        {member.data?.name ?? id}
      </Anchor>
    );
  return (
    <Text size="sm" className="mono" span>
      {id}
    </Text>
  );
}

export { useUserNames } from '../../users/hooks/use-user-names';
