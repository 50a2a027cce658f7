import { useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorText } from '../../shell/components/error-text';
import { LanguageSelect } from '../../shell/components/portal-shell';
import { PROGRAM_CODE } from '../../../router';
import { programOf, requestCode, verifyCode, type Contact, type PortalProgram, type PortalSession, type ProgramChoice } from '../api/portal-auth-api';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** What the server takes (src/contracts/portal.ts); it reads the number and answers PHONE_INVALID when it cannot. */
const PHONE = /^\+?[0-9(][0-9 ()\-.]{3,30}$/;

type Step = 'address' | 'code' | 'choose';
type By = 'email' | 'phone';

/**
 * Sign in with a one-time code sent to the member's e-mail or phone: no password to forget on a
 * site. At `/portal/<code>/` it signs in to that program only; at `/portal/` a person whose
 * address is in several programs chooses one after the code.
 */
export function SignInScreen({ onSignedIn }: { onSignedIn: (s: PortalSession) => void }) {
  const { t } = useTranslation();
  const [step, setStep] = useState<Step>('address');
  const [by, setBy] = useState<By>('email');
  const [address, setAddress] = useState('');
  const [code, setCode] = useState('');
  const [choices, setChoices] = useState<ProgramChoice[]>([]);
  const [program, setProgram] = useState<PortalProgram | null | undefined>(undefined);
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const id = useId();

  useEffect(() => {
    if (PROGRAM_CODE) programOf(PROGRAM_CODE).then(setProgram, () => setProgram(undefined));
  }, []);

  const contact = (): Contact => (by === 'email' ? { email: address.trim() } : { phone: address.trim() });

  async function finish(answer: Awaited<ReturnType<typeof verifyCode>>) {
    if ('chooseProgram' in answer) {
      setChoices(answer.chooseProgram);
      setStep('choose');
    } else onSignedIn(answer);
  }

  async function run(fn: () => Promise<void>) {
    setError(null);
    setBusy(true);
    try {
      await fn();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (step === 'address') {
      if (by === 'email' && !EMAIL.test(address.trim())) return setFieldError(t('auth.emailInvalid'));
      if (by === 'phone' && !PHONE.test(address.trim())) return setFieldError(t('auth.phoneInvalid'));
    } else if (!/^\d{6}$/.test(code.trim())) return setFieldError(t('auth.codeInvalid'));
    setFieldError(null);
    await run(async () => {
      if (step === 'address') {
        await requestCode(contact(), PROGRAM_CODE);
        setStep('code');
      } else await finish(await verifyCode(contact(), code.trim(), PROGRAM_CODE));
    });
  }

  const restart = () => {
    setStep('address');
    setCode('');
    setError(null);
    setChoices([]);
  };
  const described = fieldError ? 'signin-error' : by === 'phone' && step === 'address' && !program?.phoneCountry ? `${id}-hint` : undefined;

  if (PROGRAM_CODE && program === null) {
    return (
      <main className="signin" id="main">
        <div className="signin-top">
          <div className="logo" aria-hidden="true">F</div>
          <LanguageSelect />
        </div>
        <h1>{t('auth.title')}</h1>
        <p className="error" role="alert">{t('auth.programUnknown')}</p>
        <a href="/portal/">{t('auth.anyProgram')}</a>
      </main>
    );
  }

  return (
    <main className="signin" id="main">
      <div className="signin-top">
        <div className="logo" aria-hidden="true">F</div>
        <LanguageSelect />
      </div>
      <h1>{program ? t('auth.program', { name: program.name }) : t('auth.title')}</h1>
      {step === 'choose' ? (
        <>
          <p className="muted">{t('auth.choose')}</p>
          <ul className="choices">
            {choices.map((c) => (
              <li key={c.code}>
                <button type="button" className="primary" disabled={busy} onClick={() => run(async () => finish(await verifyCode(contact(), code.trim(), c.code)))}>
                  {c.name}
                </button>
              </li>
            ))}
          </ul>
          <ErrorText error={error} />
          <button type="button" className="link" onClick={restart}>
            {t('auth.otherEmail')}
          </button>
        </>
      ) : (
        <>
          <p className="muted">{step === 'address' ? t('auth.intro') : t('auth.codeSent', { email: address.trim() })}</p>
          <form onSubmit={submit} noValidate>
            {step === 'address' ? (
              <>
                <div className="segmented" role="group" aria-label={t('auth.intro')}>
                  {(['email', 'phone'] as const).map((b) => (
                    <button
                      key={b}
                      type="button"
                      aria-pressed={by === b}
                      className={by === b ? 'seg active' : 'seg'}
                      onClick={() => {
                        setBy(b);
                        setAddress('');
                        setFieldError(null);
                      }}
                    >
                      {b === 'email' ? t('auth.byEmail') : t('auth.byPhone')}
                    </button>
                  ))}
                </div>
                <div className="field">
                  <label htmlFor={`${id}-address`}>{by === 'email' ? t('auth.email') : t('auth.phone')}</label>
                  <input
                    id={`${id}-address`}
                    key={by}
                    type={by === 'email' ? 'email' : 'tel'}
                    inputMode={by === 'email' ? 'email' : 'tel'}
                    autoComplete={by === 'email' ? 'email' : 'tel'}
                    value={address}
                    onChange={(e) => setAddress(e.currentTarget.value)}
                    aria-invalid={Boolean(fieldError)}
                    aria-describedby={described}
                    required
                    autoFocus
                  />
                  {by === 'phone' && !program?.phoneCountry ? (
                    <p className="muted" id={`${id}-hint`}>
                      {t('auth.phoneHint')}
                    </p>
                  ) : null}
                </div>
              </>
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
              {step === 'address' ? t('auth.sendCode') : t('auth.signIn')}
            </button>
            {step === 'code' ? (
              <button type="button" className="link" onClick={restart}>
                {t('auth.otherEmail')}
              </button>
            ) : null}
          </form>
        </>
      )}
    </main>
  );
}
