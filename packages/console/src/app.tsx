import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, setCsrfToken, SIGNED_OUT_EVENT } from './api';
import { Announcer } from './components/announcer';
import { messageOf } from './components/format';
import { ErrorNote, Link } from './components/ui';
import { Audit } from './pages/audit';
import { Keys } from './pages/keys';
import { LiveState } from './pages/live-state';
import { Overview } from './pages/overview';
import { People } from './pages/people';
import { Person } from './pages/person';
import { ConsoleOff, SignIn } from './pages/sign-in';
import { navigate, useRoute } from './router';
import type { ConsoleStatus, SessionView } from './types';

const NAV = [
  ['', 'Overview'],
  ['people', 'People'],
  ['keys', 'API keys'],
  ['audit', 'Audit'],
  ['state', 'Live state'],
] as const;

/** The page for a console path. */
function Page(props: { path: string; query: URLSearchParams; session: SessionView }) {
  const canChange = props.session.account.role === 'owner';
  const [section, ...rest] = props.path.split('/');
  const userId = rest.join('/');
  if (section === 'people' && userId !== '') {
    return <Person userId={decodeURIComponent(userId)} canChange={canChange} />;
  }
  switch (section) {
    case 'people':
      return <People query={props.query.get('query') ?? ''} />;
    case 'keys':
      return <Keys canChange={canChange} />;
    case 'audit':
      return <Audit />;
    case 'state':
      return <LiveState />;
    case '':
      return <Overview />;
    default:
      return (
        <main id="main">
          <h1 tabIndex={-1} id="page-title">
            Not found
          </h1>
          <p>
            There is no such page. <Link to="">Go to the overview</Link>.
          </p>
        </main>
      );
  }
}

/** The signed-in console: navigation, the current page, sign-out. */
function Shell(props: { session: SessionView; onSignOut(): void }) {
  const { path, query } = useRoute();
  const section = path.split('/')[0] ?? '';
  useEffect(() => {
    // After navigating, focus goes to the new page's heading, as a page load would put it.
    requestAnimationFrame(() =>
      document.getElementById('page-title')?.focus({ preventScroll: false }),
    );
    document.title = `${NAV.find(([to]) => to === section)?.[1] ?? 'Memnex'} · Memnex console`;
  }, [path]);

  const signOut = async () => {
    await api('sign-out', { method: 'POST' }).catch(() => undefined);
    props.onSignOut();
  };

  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <div class="brand">
          <span class="brand-mark" aria-hidden="true">
            M
          </span>
          <span>Memnex</span>
          <span class="tenant" title={props.session.tenant.id}>
            {props.session.tenant.name}
          </span>
        </div>
        <nav aria-label="Console">
          <ul>
            {NAV.map(([to, label]) => (
              <li key={to}>
                <Link to={to} aria-current={section === to ? 'page' : undefined}>
                  {label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div class="account">
          <span class="muted" title={props.session.account.role}>
            {props.session.account.email}
          </span>
          <button type="button" class="button small" onClick={signOut}>
            Sign out
          </button>
        </div>
      </header>
      <div class="content">
        <Page path={path} query={query} session={props.session} />
      </div>
    </>
  );
}

/** The console: off, signed out, or signed in. */
export function App() {
  const [status, setStatus] = useState<ConsoleStatus | null>(null);
  const [session, setSession] = useState<SessionView | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const signedOut = () => {
    setCsrfToken(null);
    setSession(null);
  };

  useEffect(() => {
    api<ConsoleStatus>('status')
      .then(async (result) => {
        setStatus(result);
        if (!result.enabled) return;
        try {
          const current = await api<SessionView>('session');
          setCsrfToken(current.csrfToken);
          setSession(current);
        } catch (failure) {
          if (failure instanceof ApiError && failure.status === 401) setSession(null);
          else throw failure;
        }
      })
      .catch((failure: unknown) => setError(messageOf(failure)));
    window.addEventListener(SIGNED_OUT_EVENT, signedOut);
    return () => window.removeEventListener(SIGNED_OUT_EVENT, signedOut);
  }, []);

  let body;
  if (error)
    body = (
      <main id="main" class="auth">
        <ErrorNote message={error} />
      </main>
    );
  else if (!status || (status.enabled && session === undefined))
    body = (
      <p aria-busy="true" class="loading">
        Loading…
      </p>
    );
  else if (!status.enabled)
    body = <ConsoleOff variable={status.variable} instructions={status.instructions} />;
  else if (!session)
    body = (
      <SignIn
        onSignedIn={(started) => {
          setCsrfToken(started.csrfToken);
          setSession(started);
          navigate('', true);
        }}
      />
    );
  else body = <Shell session={session} onSignOut={signedOut} />;
  return <Announcer>{body}</Announcer>;
}
