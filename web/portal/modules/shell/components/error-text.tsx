import { useTranslation } from 'react-i18next';
import { isApiError } from '@shared/api/api-error';

export function ErrorText({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!error) return null;
  const text = isApiError(error) ? t(`errors.${error.code}`, { defaultValue: error.detail ?? t('errors.UNKNOWN') }) : t('errors.UNKNOWN');
  return (
    <p className="error" role="alert">
      {text}
    </p>
  );
}
