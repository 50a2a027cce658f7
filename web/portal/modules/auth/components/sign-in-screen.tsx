import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorText } from '../../shell/components/error-text';
import { LanguageSelect } from '../../shell/components/portal-shell';
import { requestCode, verifyCode, type PortalSession } from '../api/portal-auth-api';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Sign in with a one-time code sent to the member's e-mail: no password to forget on a site. */
export function SignInScreen({ onSignedIn }: { onSignedIn: (s: PortalSession) => void }) {
  const { t } = useTranslation();
  const [step, setStep] = useState<'email' | 'code'>('email');
  const [email, setEmail] = useState('');
  const [code, setCode] = useState('');
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const id = useId();

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    if (step === 'email') {
      if (!EMAIL.test(email.trim())) return setFieldError(t('auth.emailInvalid'));
    } else if (!/^\d{6}$/.test(code.trim())) return setFieldError(t('auth.codeInvalid'));
    setFieldError(null);
    setBusy(true);
    try {
      if (step === 'email') {
        await requestCode(email.trim());
        setStep('code');
      } else {
        onSignedIn(await verifyCode(email.trim(), code.trim()));
      }
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="signin" id="main">
      <div className="signin-top">
        <div className="logo" aria-hidden="true">F</div>
        <LanguageSelect />
      </div>
      <h1>{t('auth.title')}</h1>
      <p className="muted">{step === 'email' ? t('auth.intro') : t('auth.codeSent', { email: email.trim() })}</p>
      <form onSubmit={submit} noValidate>
        {step === 'email' ? (
          <div className="field">
            <label htmlFor={`${id}-email`}>{t('auth.email')}</label>
            <input id={`${id}-email`} type="email" inputMode="email" autoComplete="email" value={email} onChange={(e) => setEmail(e.currentTarget.value)} aria-invalid={Boolean(fieldError)} aria-describedby={fieldError ? 'signin-error' : undefined} required autoFocus />
          </div>
        ) : (
          <div className="field">
            <label htmlFor={`${id}-code`}>{t('auth.code')}</label>
            <input
              id={`${id}-code`}
              inputMode="numeric"
              autoComplete="one-time-code"
              pattern="[0-9]{6}"
              maxLength={6}
              className="code"
              value={code}
              onChange={(e) => setCode(e.currentTarget.value.replace(/\D/g, ''))}
              aria-invalid={Boolean(fieldError)}
              aria-describedby={fieldError ? 'signin-error' : undefined}
              required
              autoFocus
            />
          </div>
        )}
        {fieldError ? (
          <p className="error" id="signin-error" role="alert">
            {fieldError}
          </p>
        ) : null}
        <ErrorText error={error} />
        <button type="submit" className="primary" disabled={busy}>
          {step === 'email' ? t('auth.sendCode') : t('auth.signIn')}
        </button>
        {step === 'code' ? (
          <button type="button" className="link" onClick={() => { setStep('email'); setCode(''); setError(null); }}>
            {t('auth.otherEmail')}
          </button>
        ) : null}
      </form>
    </main>
  );
}
