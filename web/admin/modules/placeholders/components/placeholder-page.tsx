import { Alert } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Page } from '../../ui/components/page';

/** A page with nothing at its address (and, while a server module is missing, its stand-in). */
export function PlaceholderPage({ feature }: { feature: 'notFound' }) {
  const { t } = useTranslation();
  return (
    <Page title={t(`placeholder.${feature}.title`)}>
      <Alert variant="light" color="gray">
        {t(`placeholder.${feature}.body`)}
      </Alert>
    </Page>
  );
}
