import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import { useAnnounce } from '../components/announcer';
import { formatTime, messageOf } from '../components/format';
import { Card, DataTable, ErrorNote, Field, PageHeader } from '../components/ui';
import type { CreatedKey, KeyView } from '../types';

const SCOPES = [
  ['memory:read', 'Read and search memories'],
  ['memory:write', 'Write memories, link identifiers'],
  ['memory:forget', 'Forget people'],
  ['audit:read', 'Read and verify the audit ledger'],
  ['pii:reveal', 'Reveal encrypted PII'],
  ['admin', 'Everything, including keys'],
] as const;

/** The raw key, shown once, with a copy button. */
function NewKey(props: { created: CreatedKey; onDone(): void }) {
  const announce = useAnnounce();
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(props.created.key);
      announce('Key copied to the clipboard.');
    } catch {
      const field = document.getElementById('new-key') as HTMLInputElement | null;
      field?.select();
      announce('Select and copy the key by hand.', 'error');
    }
  };
  return (
    <div class="callout" role="region" aria-labelledby="new-key-title">
      <h3 id="new-key-title">Key “{props.created.record.label}” created</h3>
      <p>Copy it now: it is shown once and never again. Only a hash of it is stored.</p>
      <div class="copy-row">
        <label class="visually-hidden" for="new-key">
          New API key
        </label>
        <input
          id="new-key"
          class="mono"
          readOnly
          value={props.created.key}
          onFocus={(event) => event.currentTarget.select()}
        />
        <button type="button" class="button primary" onClick={copy}>
          Copy
        </button>
        <button type="button" class="button" onClick={props.onDone}>
          Done
        </button>
      </div>
    </div>
  );
}

/** The tenant's API keys: create (choosing scopes), list, revoke. */
export function Keys(props: { canChange: boolean }) {
  const announce = useAnnounce();
  const [keys, setKeys] = useState<KeyView[] | null>(null);
  const [created, setCreated] = useState<CreatedKey | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = () =>
    api<{ keys: KeyView[] }>('keys').then(
      (result) => setKeys(result.keys),
      (failure: unknown) => setError(messageOf(failure)),
    );
  useEffect(() => void load(), []);

  const create = async (event: Event) => {
    event.preventDefault();
    const formElement = event.currentTarget as HTMLFormElement;
    const form = new FormData(formElement);
    const scopes = form.getAll('scope').map(String);
    const stateScopes = String(form.get('stateScopes') ?? '')
      .split(/[\s,]+/u)
      .filter(Boolean);
    setBusy(true);
    setError(null);
    try {
      const result = await api<CreatedKey>('keys', {
        method: 'POST',
        body: {
          label: String(form.get('label') ?? ''),
          scopes: [...scopes, ...stateScopes],
          environment: String(form.get('environment') ?? 'live'),
        },
      });
      setCreated(result);
      formElement.reset();
      announce(`Key ${result.record.label} created. Copy it now: it is shown once.`);
      await load();
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setBusy(false);
    }
  };

  const revoke = async (key: KeyView) => {
    if (
      !window.confirm(
        `Revoke the key “${key.label}” (${key.id})? Agents using it stop working at once.`,
      )
    )
      return;
    try {
      await api(`keys/${encodeURIComponent(key.id)}`, { method: 'DELETE' });
      announce(`Key ${key.label} revoked.`);
      await load();
    } catch (failure) {
      setError(messageOf(failure));
    }
  };

  return (
    <main id="main">
      <PageHeader title="API keys">
        Keys let agents and backends reach this tenant's memories and state.
      </PageHeader>
      <ErrorNote message={error} />
      {created ? <NewKey created={created} onDone={() => setCreated(null)} /> : null}
      {props.canChange ? (
        <Card id="create-key" title="Create a key">
          <form onSubmit={create} class="stack">
            <Field id="key-label" label="Label" hint="Who uses it, e.g. “voice agent”.">
              <input
                id="key-label"
                name="label"
                required
                maxLength={200}
                aria-describedby="key-label-hint"
              />
            </Field>
            <fieldset>
              <legend>Scopes</legend>
              <div class="checks">
                {SCOPES.map(([scope, description]) => (
                  <label key={scope} class="check">
                    <input
                      type="checkbox"
                      name="scope"
                      value={scope}
                      defaultChecked={scope === 'memory:read'}
                    />
                    <span>
                      <code>{scope}</code> <span class="muted">{description}</span>
                    </span>
                  </label>
                ))}
              </div>
            </fieldset>
            <div class="row">
              <Field
                id="key-state"
                label="State scopes (optional)"
                hint="Space-separated, e.g. state:read:team:* state:write:plan:*"
              >
                <input
                  id="key-state"
                  name="stateScopes"
                  class="mono"
                  aria-describedby="key-state-hint"
                />
              </Field>
              <Field id="key-environment" label="Environment">
                <select id="key-environment" name="environment">
                  <option value="live">live</option>
                  <option value="test">test</option>
                </select>
              </Field>
            </div>
            <div>
              <button type="submit" class="button primary" disabled={busy}>
                {busy ? 'Creating…' : 'Create key'}
              </button>
            </div>
          </form>
        </Card>
      ) : null}
      <Card id="key-list" title="Keys">
        {keys === null ? (
          <p aria-busy="true">Loading…</p>
        ) : keys.length === 0 ? (
          <p class="empty">No keys yet.</p>
        ) : (
          <DataTable
            caption="API keys of this tenant"
            columns={[
              'Label',
              'Id',
              'Scopes',
              'Created',
              'Last used',
              'Status',
              ...(props.canChange ? [{ label: 'Actions', hidden: true }] : []),
            ]}
          >
            {keys.map((key) => (
              <tr key={key.id} class={key.revokedAt ? 'revoked' : ''}>
                <th scope="row">{key.label}</th>
                <td class="mono">{key.id}</td>
                <td>
                  {key.scopes.map((scope) => (
                    <code key={scope} class="chip">
                      {scope}
                    </code>
                  ))}
                </td>
                <td>{formatTime(key.createdAt)}</td>
                <td>{formatTime(key.lastUsedAt)}</td>
                <td>
                  {key.revokedAt ? (
                    <span class="badge badge-muted">revoked</span>
                  ) : (
                    <span class="badge badge-ok">active</span>
                  )}
                </td>
                {props.canChange ? (
                  <td>
                    {key.revokedAt ? null : (
                      <button
                        type="button"
                        class="button small danger"
                        onClick={() => revoke(key)}
                        aria-label={`Revoke ${key.label}`}
                      >
                        Revoke
                      </button>
                    )}
                  </td>
                ) : null}
              </tr>
            ))}
          </DataTable>
        )}
      </Card>
    </main>
  );
}
