import '@mantine/core/styles.css';
import {
  MantineProvider,
  MultiSelect,
  Select,
  createTheme,
  type CSSVariablesResolver,
} from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { ApiError } from './api/client';
import { App, prefetchFirstReads } from './app';
import { SessionProvider } from './auth/session';

// Shades chosen for WCAG AA contrast (4.5:1 for text) in both schemes; autoContrast picks
// black or white text on filled components by the background's luminance.
const theme = createTheme({
  primaryColor: 'indigo',
  // Dark 7: white text on a filled element (an active navigation link) stays above 4.5:1.
  primaryShade: { light: 8, dark: 7 },
  autoContrast: true,
  defaultRadius: 'sm',
  components: {
    // A closed select's list is not kept in the page (Mantine keeps it, hidden, by default):
    // each kept list is positioned on mount, a forced layout and a synchronous re-render
    // per select, some 100 ms of the queue's first load (docs/benchmarks-console.md).
    Select: Select.extend({ defaultProps: { comboboxProps: { keepMounted: false } } }),
    MultiSelect: MultiSelect.extend({ defaultProps: { comboboxProps: { keepMounted: false } } }),
  },
});

/**
 * Mantine's dimmed text (gray 6) is under 4.5:1 on white: one shade darker in the light
 * scheme. In the dark scheme dimmed text (dark 2) and links (indigo 4) are under 4.5:1 on
 * the dark grey of striped and hovered rows: one shade lighter each.
 */
const resolver: CSSVariablesResolver = () => ({
  variables: {},
  light: { '--mantine-color-dimmed': 'var(--mantine-color-gray-7)' },
  dark: {
    '--mantine-color-dimmed': 'var(--mantine-color-dark-1)',
    '--mantine-color-anchor': 'var(--mantine-color-indigo-3)',
  },
});

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 10_000,
      // A refusal is an answer, not a glitch: retry only what may pass the next time.
      retry: (count, error) => count < 2 && !(error instanceof ApiError && error.status < 500),
    },
  },
});

prefetchFirstReads(queryClient);

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <MantineProvider theme={theme} cssVariablesResolver={resolver} defaultColorScheme="auto">
      <QueryClientProvider client={queryClient}>
        {/* The pages keep their filters in the address and build each change from it; as a
            transition, an address change could still be pending (starved by urgent renders on
            a busy machine) when the next control builds on the old one, and drop it. */}
        <BrowserRouter useTransitions={false}>
          <SessionProvider>
            <App />
          </SessionProvider>
        </BrowserRouter>
      </QueryClientProvider>
    </MantineProvider>
  </StrictMode>,
);
