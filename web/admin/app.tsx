import { DirectionProvider, MantineProvider, createTheme } from '@mantine/core';
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
      <MantineProvider theme={theme}>
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
