import { Anchor, Button, Center, Divider, Group, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { ErrorAlert } from '../../ui/components/error-alert';
import { issuesToErrors } from '../../ui/hooks/use-contract-form';
import { LanguageSwitcher } from '../../shell/components/language-switcher';
import { useSession } from './session-provider';

const credentials = z.object({ email: z.email(), password: z.string().min(1) });

export function SignInPage() {
  const { t } = useTranslation();
  const { signIn, signInKey } = useSession();
  const [mode, setMode] = useState<'password' | 'key'>('password');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [key, setKey] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    if (mode === 'password') {
      const parsed = credentials.safeParse({ email, password });
      if (!parsed.success) {
        setErrors(issuesToErrors(parsed.error.issues));
        return;
      }
    } else if (!key.trim()) {
      setErrors({ key: t('auth.keyRequired') });
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      if (mode === 'password') await signIn(email, password);
      else await signInKey(key.trim());
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Center mih="100vh" p="md" component="main">
      <Paper withBorder shadow="sm" p="xl" w={400} maw="100%">
        <form onSubmit={submit} noValidate>
          <Stack>
            <Group justify="space-between">
              <Title order={1} size="h3">
                {t('auth.title')}
              </Title>
              <LanguageSwitcher />
            </Group>
            <Text size="sm" c="dimmed">
              {mode === 'password' ? t('auth.intro') : t('auth.keyIntro')}
            </Text>
            {mode === 'password' ? (
              <>
                <TextInput label={t('auth.email')} type="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.currentTarget.value)} error={errors.email} required />
                <PasswordInput label={t('auth.password')} autoComplete="current-password" value={password} onChange={(e) => setPassword(e.currentTarget.value)} error={errors.password} required />
              </>
            ) : (
              <PasswordInput label={t('auth.apiKey')} value={key} onChange={(e) => setKey(e.currentTarget.value)} error={errors.key} autoComplete="off" required />
            )}
            <ErrorAlert error={error} />
            <Button type="submit" loading={busy}>
              {t('auth.signIn')}
            </Button>
            <Divider />
            <Anchor component="button" type="button" size="sm" onClick={() => { setMode(mode === 'password' ? 'key' : 'password'); setErrors({}); setError(null); }}>
              {mode === 'password' ? t('auth.useKey') : t('auth.usePassword')}
            </Anchor>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
