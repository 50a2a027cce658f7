import { NativeSelect, useDirection } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { LANGUAGES, chooseLanguage, directionOf, isLanguage } from '@shared/i18n/i18n';

export function LanguageSwitcher() {
  const { t, i18n } = useTranslation();
  const { setDirection } = useDirection();
  return (
    <NativeSelect
      aria-label={t('shell.language')}
      size="xs"
      value={i18n.language}
      data={LANGUAGES.map((l) => ({ value: l.code, label: l.name }))}
      onChange={async (e) => {
        const code = e.currentTarget.value;
        if (!isLanguage(code)) return;
        await chooseLanguage(code);
        setDirection(directionOf(code));
      }}
    />
  );
}
