import { Alert } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { isApiError } from '@shared/api/api-error';

/** An error by its code, translated; the server's detail is the fallback for codes we do not know. */
export function useErrorText() {
  const { t } = useTranslation();
  return (err: unknown): string => {
    if (isApiError(err)) return t(`errors.${err.code}`, { defaultValue: err.detail ?? t('errors.UNKNOWN') });
    return t('errors.UNKNOWN');
  };
}

export function ErrorAlert({ error }: { error: unknown }) {
  const { t } = useTranslation();
  const text = useErrorText();
  if (!error) return null;
  return (
    <Alert color="red" variant="light" title={t('common.error')} role="alert">
      {text(error)}
      {isApiError(error) && error.requestId ? <div className="mono">{t('common.requestId', { id: error.requestId })}</div> : null}
    </Alert>
  );
}
