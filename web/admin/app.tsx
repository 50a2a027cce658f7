import { DirectionProvider, MantineProvider, createTheme, type CSSVariablesResolver } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { BrowserRouter } from 'react-router';
import { isApiError } from '@shared/api/api-error';
import { directionOf } from '@shared/i18n/i18n';
import { SessionProvider } from './modules/auth/components/session-provider';
import { AdminRoutes } from './routes';
import i18next from 'i18next';

// Darker primary shades than Mantine's default blue keep white-on-primary text above 4.5:1.
const theme = createTheme({
  primaryColor: 'blue',
  primaryShade: 8,
  defaultRadius: 'sm',
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans Arabic", Tahoma, sans-serif',
});

// WCAG AA contrast (4.5:1, checked by axe in the browser tests): Mantine's dimmed grey (#868e96, 3.3:1 on
// white) becomes gray.7, and the primary colour on its light background (an active nav link, light badges) blue.9.
const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    '--mantine-primary-color-light-color': 'var(--mantine-color-blue-9)',
    '--mantine-color-blue-light-color': 'var(--mantine-color-blue-9)',
  },
  dark: {},
});

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 15_000,
      refetchOnWindowFocus: false,
      // Retrying a 4xx only delays the error the user has to see.
      retry: (count, err) => !(isApiError(err) && err.status >= 400 && err.status < 500) && count < 2,
    },
  },
});

export function AdminApp() {
  return (
    <DirectionProvider initialDirection={directionOf(i18next.language)} detectDirection>
      <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver}>
        <QueryClientProvider client={queryClient}>
          <BrowserRouter>
            <SessionProvider>
              <AdminRoutes />
            </SessionProvider>
          </BrowserRouter>
        </QueryClientProvider>
      </MantineProvider>
    </DirectionProvider>
  );
}
