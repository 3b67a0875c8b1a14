import {
  ActionIcon,
  AppShell,
  Kbd,
  Burger,
  Button,
  Group,
  NavLink,
  Text,
  Title,
  Tooltip,
  useComputedColorScheme,
  useMantineColorScheme,
} from '@mantine/core';
import { useDisclosure, useHotkeys } from '@mantine/hooks';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { useSession } from '../auth/session';
import { t } from '../strings';
import { ShortcutsHelp } from './shortcuts-help';
import { useShortcuts } from './use-shortcuts';

function ThemeToggle() {
  const { setColorScheme } = useMantineColorScheme();
  const scheme = useComputedColorScheme('light');
  return (
    <Tooltip label={t.theme.toggle}>
      <ActionIcon
        variant="default"
        size="lg"
        aria-label={t.theme.toggle}
        onClick={() => setColorScheme(scheme === 'dark' ? 'light' : 'dark')}
      >
        <span aria-hidden="true">{scheme === 'dark' ? '☀' : '☾'}</span>
      </ActionIcon>
    </Tooltip>
  );
}

/** The frame around every signed-in page: header, navigation by permission, content. */
export function Shell() {
  const session = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  const [opened, { toggle }] = useDisclosure();
  const [helpOpened, help] = useDisclosure();
  const links: { to: string; label: string; keys?: string }[] = [
    ...(session.can('incident:update')
      ? [{ to: '/queue', label: t.nav.queue, keys: 'alt+Q' }]
      : []),
    ...(session.can('request:update')
      ? [{ to: '/queue?type=request', label: t.nav.requestQueue }]
      : []),
    ...(session.can('incident:create')
      ? [{ to: '/incidents/new', label: t.nav.newIncident, keys: 'alt+N' }]
      : []),
    ...(session.can('request:create')
      ? [{ to: '/requests/new', label: t.nav.newRequest, keys: 'alt+R' }]
      : []),
    ...(session.can('request:create') ? [{ to: '/catalog', label: t.catalog.nav }] : []),
    ...(session.can('request:update') || session.can('catalog:manage')
      ? [{ to: '/catalog/manage', label: t.catalog.manageNav }]
      : []),
    ...(session.can('incident:read')
      ? [{ to: '/my', label: t.nav.myIncidents, keys: 'alt+M' }]
      : []),
    ...(session.can('request:read') ? [{ to: '/my?type=request', label: t.nav.myRequests }] : []),
  ];
  // Change enablement (docs/authorization.md): reading for `change:read`, the inbox for
  // `change:approve`. "Changes" stays lit on a change's page and on "New change".
  const changePages = ['/changes/schedule', '/changes/approvals', '/changes/cab'];
  const changeLinks = [
    ...(session.can('change:read')
      ? [
          {
            to: '/changes',
            label: t.changes.nav.list,
            active:
              location.pathname.startsWith('/changes') && !changePages.includes(location.pathname),
          },
          {
            to: '/changes/schedule',
            label: t.changes.nav.schedule,
            active: location.pathname === '/changes/schedule',
          },
        ]
      : []),
    ...(session.can('change:approve')
      ? [
          {
            to: '/changes/approvals',
            label: t.changes.nav.approvals,
            active: location.pathname === '/changes/approvals',
          },
        ]
      : []),
    ...(session.can('change:read')
      ? [
          {
            to: '/changes/cab',
            label: t.changes.nav.cab,
            active: location.pathname === '/changes/cab',
          },
        ]
      : []),
  ];
  // A list's type is in its address (`?type=request`): it tells which link is the page's.
  const type = new URLSearchParams(location.search).get('type');
  const here = `${location.pathname}${type === 'request' ? '?type=request' : ''}`;
  // Outside text fields (Mantine's default): Alt+N a new incident, Alt+R a new request,
  // Alt+Q the queue, Alt+M mine.
  useHotkeys(
    links.flatMap((link) => (link.keys ? [[link.keys, () => void navigate(link.to)]] : [])),
  );
  // `?` lists every shortcut (Shift+/ on most layouts, `?` alone on some).
  useShortcuts([
    ['shift+?', help.open],
    ['?', help.open],
  ]);
  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Group>
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label={t.nav.label}
            />
            <Title order={2} size="h4">
              {t.product}
            </Title>
          </Group>
          <Group>
            {session.me && (
              <Text size="sm" visibleFrom="sm">
                {t.signIn.signedInAs(session.me.username, session.me.roles.join(', '))}
              </Text>
            )}
            <Tooltip label={t.shortcuts.open}>
              <ActionIcon
                variant="default"
                size="lg"
                aria-label={t.shortcuts.open}
                aria-keyshortcuts="Shift+?"
                onClick={help.open}
              >
                <span aria-hidden="true">?</span>
              </ActionIcon>
            </Tooltip>
            <ThemeToggle />
            <Button
              variant="default"
              onClick={() => {
                session.signOut();
                void navigate('/');
              }}
            >
              {t.signIn.signOut}
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" component="nav" aria-label={t.nav.label}>
        {links.map((link) => (
          <NavLink
            key={link.to}
            component={Link}
            to={link.to}
            label={link.label}
            rightSection={link.keys && <Kbd size="xs">{link.keys.replace('alt', 'Alt')}</Kbd>}
            aria-keyshortcuts={link.keys?.replace('alt', 'Alt')}
            active={here === link.to}
            variant="filled"
          />
        ))}
        {session.can('cmdb:read') && (
          <NavLink
            component={Link}
            to="/cmdb"
            label={t.cmdb.nav}
            active={location.pathname.startsWith('/cmdb')}
            variant="filled"
          />
        )}
        {session.can('problem:read') && (
          <>
            <NavLink
              component={Link}
              to="/problems"
              label={t.problems.nav}
              active={location.pathname.startsWith('/problems')}
              variant="filled"
            />
            <NavLink
              component={Link}
              to="/known-errors"
              label={t.problems.knownErrorsNav}
              active={location.pathname.startsWith('/known-errors')}
              variant="filled"
            />
          </>
        )}
        {session.can('report:read') && (
          <NavLink
            component={Link}
            to="/dashboards"
            label={t.dashboards.nav}
            active={location.pathname.startsWith('/dashboards')}
            variant="filled"
          />
        )}
        {changeLinks.map((link) => (
          <NavLink
            key={link.to}
            component={Link}
            to={link.to}
            label={link.label}
            active={link.active}
            variant="filled"
          />
        ))}
        <NavLink href="/docs" label={t.nav.apiReference} />
      </AppShell.Navbar>
      <AppShell.Main>
        <Outlet />
      </AppShell.Main>
      <ShortcutsHelp opened={helpOpened} onClose={help.close} />
    </AppShell>
  );
}
