import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { messageOf } from '../components/format';
import { ErrorNote, Field } from '../components/ui';
import type { SessionView } from '../types';

/** A page of its own, before a session: the brand, a heading and a card. */
function AuthCard(props: { title: string; children: ComponentChildren }) {
  return (
    <main id="main" class="auth">
      <div class="auth-card">
        <p class="brand brand-large" aria-hidden="true">
          <span class="brand-mark">M</span> Memnex
        </p>
        <h1 tabIndex={-1} id="page-title">
          {props.title}
        </h1>
        {props.children}
      </div>
    </main>
  );
}

/** Sign in, or create a tenant and its first account. */
export function SignIn(props: { onSignedIn(session: SessionView): void }) {
  const [mode, setMode] = useState<'sign-in' | 'sign-up'>('sign-in');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const signUp = mode === 'sign-up';

  const submit = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const field = (name: string) => String(form.get(name) ?? '');
    const body = {
      email: field('email'),
      password: field('password'),
      ...(signUp ? { tenantName: field('tenantName') } : {}),
    };
    setBusy(true);
    setError(null);
    try {
      props.onSignedIn(
        await api<SessionView>(signUp ? 'sign-up' : 'sign-in', { method: 'POST', body }),
      );
    } catch (failure) {
      const issues =
        failure instanceof ApiError
          ? (failure.details?.issues as Array<{ path: string; message: string }> | undefined)
          : undefined;
      setError(
        issues?.length
          ? issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')
          : messageOf(failure),
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <AuthCard title={signUp ? 'Create your organisation' : 'Sign in to the console'}>
      <form onSubmit={submit}>
        {signUp ? (
          <Field id="tenantName" label="Organisation name">
            <input
              id="tenantName"
              name="tenantName"
              required
              maxLength={200}
              autoComplete="organization"
            />
          </Field>
        ) : null}
        <Field id="email" label="E-mail">
          <input id="email" name="email" type="email" required autoComplete="email" />
        </Field>
        <Field id="password" label="Password" hint={signUp ? 'At least 10 characters.' : undefined}>
          <input
            id="password"
            name="password"
            type="password"
            required
            minLength={signUp ? 10 : undefined}
            autoComplete={signUp ? 'new-password' : 'current-password'}
            aria-describedby={signUp ? 'password-hint' : undefined}
          />
        </Field>
        <ErrorNote message={error} />
        <button class="button primary wide" type="submit" disabled={busy}>
          {busy ? 'Please wait…' : signUp ? 'Create organisation' : 'Sign in'}
        </button>
      </form>
      <p class="switch">
        {signUp ? 'Already have an account?' : 'New to Memnex?'}{' '}
        <button
          type="button"
          class="link-button"
          onClick={() => {
            setMode(signUp ? 'sign-in' : 'sign-up');
            setError(null);
          }}
        >
          {signUp ? 'Sign in' : 'Create an organisation'}
        </button>
      </p>
    </AuthCard>
  );
}

/** What the page says while the console is off. */
export function ConsoleOff(props: { variable: string; instructions: string }) {
  return (
    <AuthCard title="The console is not enabled">
      <p>{props.instructions}</p>
      <pre class="code">
        <code>{`export ${props.variable}="$(openssl rand -base64 48)"\nmemnex serve rest`}</code>
      </pre>
      <p class="hint">
        Every instance behind one address needs the same value. Keep it secret: whoever holds it can
        sign sessions.
      </p>
    </AuthCard>
  );
}
