import { useEffect, useRef, useState } from 'preact/hooks';
import { api, download } from '../api';
import { useAnnounce } from '../components/announcer';
import { formatTime, messageOf } from '../components/format';
import { Card, ErrorNote, Field, Link, PageHeader } from '../components/ui';
import { navigate } from '../router';
import type { ContextFormat, MemoryView, PersonView, Preview } from '../types';

const FORMATS: ContextFormat[] = ['voice', 'whatsapp', 'web', 'sms', 'app'];
const CHANNELS = ['voice', 'whatsapp', 'sms', 'email', 'web', 'app'] as const;
const TYPE_ORDER = ['profile', 'preference', 'intent', 'issue', 'resolution', 'event'];

function MemoryItem(props: { memory: MemoryView }) {
  const { memory } = props;
  return (
    <li class="memory">
      <p>{memory.text}</p>
      <p class="meta">
        {memory.source.channel ? <span class="chip">{memory.source.channel}</span> : null}
        {memory.entities.map((entity) => (
          <code key={entity} class="chip">
            {entity}
          </code>
        ))}
        <span class="muted">since {formatTime(memory.validFrom)}</span>
      </p>
    </li>
  );
}

/** The context `memory_read` gives this person on each channel, with its token count. */
function PreviewPanel(props: { userId: string; version: number }) {
  const [format, setFormat] = useState<ContextFormat>('whatsapp');
  const [preview, setPreview] = useState<Preview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const tabs = useRef<Array<HTMLButtonElement | null>>([]);

  useEffect(() => {
    let live = true;
    setPreview(null);
    api<Preview>('person/preview', { query: { userId: props.userId, format } }).then(
      (result) => live && (setPreview(result), setError(null)),
      (failure: unknown) => live && setError(messageOf(failure)),
    );
    return () => void (live = false);
  }, [props.userId, format, props.version]);

  // Arrow keys move between tabs, as the ARIA tabs pattern has it.
  const onKey = (event: KeyboardEvent, index: number) => {
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (step === 0) return;
    event.preventDefault();
    const next = (index + step + FORMATS.length) % FORMATS.length;
    setFormat(FORMATS[next]!);
    tabs.current[next]?.focus();
  };

  return (
    <Card id="preview" title="What an agent reads">
      <div role="tablist" aria-label="Channel format" class="tabs">
        {FORMATS.map((name, index) => (
          <button
            key={name}
            ref={(element) => void (tabs.current[index] = element)}
            role="tab"
            type="button"
            id={`tab-${name}`}
            aria-selected={format === name}
            aria-controls="preview-panel"
            tabIndex={format === name ? 0 : -1}
            class="tab"
            onClick={() => setFormat(name)}
            onKeyDown={(event) => onKey(event as unknown as KeyboardEvent, index)}
          >
            {name}
          </button>
        ))}
      </div>
      <div role="tabpanel" id="preview-panel" aria-labelledby={`tab-${format}`} tabIndex={0}>
        <ErrorNote message={error} />
        {preview ? (
          <>
            <p class="muted" id="preview-tokens">
              {preview.tokens} tokens of a {preview.tokenBudget}-token budget, {preview.items}{' '}
              memories
            </p>
            <pre class="code preview" data-format={preview.format}>
              {preview.context || '(nothing to say yet)'}
            </pre>
          </>
        ) : error ? null : (
          <p aria-busy="true">Loading…</p>
        )}
      </div>
    </Card>
  );
}

/** One person: identifiers, memories by type, history, previews, export and forget. */
export function Person(props: { userId: string; canChange: boolean }) {
  const announce = useAnnounce();
  const [person, setPerson] = useState<PersonView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [receipt, setReceipt] = useState<Record<string, unknown> | null>(null);
  const [confirming, setConfirming] = useState(false);
  const dialog = useRef<HTMLDialogElement>(null);

  const load = () =>
    api<PersonView>('person', { query: { userId: props.userId } }).then(
      (result) => (setPerson(result), setError(null)),
      (failure: unknown) => setError(messageOf(failure)),
    );
  useEffect(() => {
    setPerson(null);
    setReceipt(null);
    void load();
  }, [props.userId]);

  useEffect(() => {
    if (confirming) dialog.current?.showModal();
    else dialog.current?.close();
  }, [confirming]);

  const act = async (work: () => Promise<void>) => {
    setError(null);
    try {
      await work();
    } catch (failure) {
      setError(messageOf(failure));
      announce(messageOf(failure), 'error');
    }
  };

  const link = (event: Event) =>
    act(async () => {
      const formElement = event.currentTarget as HTMLFormElement;
      event.preventDefault();
      const form = new FormData(formElement);
      const identifier = { channel: String(form.get('channel')), id: String(form.get('id') ?? '') };
      await api('person/link', { method: 'POST', body: { userId: props.userId, identifier } });
      formElement.reset();
      announce(`Linked ${identifier.channel} ${identifier.id}.`);
      await load();
    });

  const unlink = (identifier: { channel: string; id: string }) =>
    act(async () => {
      if (!window.confirm(`Unlink ${identifier.channel} ${identifier.id} from this person?`))
        return;
      await api('person/unlink', { method: 'POST', body: { userId: props.userId, identifier } });
      announce(`Unlinked ${identifier.channel} ${identifier.id}.`);
      await load();
    });

  const merge = (event: Event) =>
    act(async () => {
      event.preventDefault();
      const from = String(
        new FormData(event.currentTarget as HTMLFormElement).get('from') ?? '',
      ).trim();
      if (
        !window.confirm(
          `Merge “${from}” into “${props.userId}”? Its memories and identifiers move here.`,
        )
      )
        return;
      await api('people/merge', { method: 'POST', body: { from, into: props.userId } });
      announce(`Merged ${from} into this person.`);
      await load();
    });

  const exportPerson = () =>
    act(async () => {
      const exported = await api('person/export', {
        method: 'POST',
        body: { userId: props.userId },
      });
      download(`memnex-export-${props.userId}.json`, exported);
      announce('Export downloaded.');
    });

  const forget = (event: Event) =>
    act(async () => {
      event.preventDefault();
      const reason = String(
        new FormData(event.currentTarget as HTMLFormElement).get('reason') ?? '',
      ).trim();
      const result = await api<Record<string, unknown>>('person/forget', {
        method: 'POST',
        body: { userId: props.userId, reason },
      });
      setConfirming(false);
      setReceipt(result);
      setPerson(null);
      announce('Forgotten. The signed receipt is below.');
    });

  if (receipt) {
    return (
      <main id="main">
        <PageHeader title={`Forgotten: ${props.userId}`}>
          Everything held about this person is gone from every store. Keep the signed receipt.
        </PageHeader>
        <Card id="receipt" title="Signed receipt">
          <pre class="code" id="receipt-json">
            {JSON.stringify(receipt, null, 2)}
          </pre>
          <div class="row">
            <button
              type="button"
              class="button primary"
              onClick={() =>
                download(`memnex-forget-receipt-${String(receipt.receiptId)}.json`, receipt)
              }
            >
              Download receipt
            </button>
            <button type="button" class="button" onClick={() => navigate('people')}>
              Back to people
            </button>
          </div>
        </Card>
      </main>
    );
  }

  const byType = new Map<string, MemoryView[]>();
  for (const memory of person?.current ?? []) {
    const group = byType.get(memory.type);
    if (group) group.push(memory);
    else byType.set(memory.type, [memory]);
  }
  const types = [...byType.keys()].sort((a, b) => TYPE_ORDER.indexOf(a) - TYPE_ORDER.indexOf(b));
  // What replaced a fact is a current memory, or itself in the history.
  const texts = new Map(
    [...(person?.current ?? []), ...(person?.history ?? []).map((entry) => entry.memory)].map(
      (memory) => [memory.id, memory.text],
    ),
  );

  return (
    <main id="main">
      <p class="breadcrumb">
        <Link to="people">People</Link> / <span class="mono">{props.userId}</span>
      </p>
      <PageHeader title={props.userId}>
        {person
          ? `Known since ${formatTime(person.profile.createdAt)}; last change ${formatTime(person.profile.updatedAt)}.`
          : null}
      </PageHeader>
      <ErrorNote message={error} />
      {person ? (
        <>
          <div class="actions-bar">
            <button type="button" class="button" onClick={exportPerson}>
              Export JSON
            </button>
            {props.canChange ? (
              <button type="button" class="button danger" onClick={() => setConfirming(true)}>
                Forget this person…
              </button>
            ) : null}
          </div>
          <div class="grid-2">
            <Card id="identifiers" title="Identifiers">
              {person.profile.identifiers.length === 0 ? (
                <p class="empty">No channel identifiers linked.</p>
              ) : (
                <ul class="identifiers">
                  {person.profile.identifiers.map((identifier) => (
                    <li key={`${identifier.channel}:${identifier.id}`}>
                      <span class="chip">{identifier.channel}</span>{' '}
                      <span class="mono">{identifier.id}</span>
                      {props.canChange ? (
                        <button
                          type="button"
                          class="button small"
                          onClick={() => unlink(identifier)}
                          aria-label={`Unlink ${identifier.channel} ${identifier.id}`}
                        >
                          Unlink
                        </button>
                      ) : null}
                    </li>
                  ))}
                </ul>
              )}
              {props.canChange ? (
                <>
                  <form class="inline-form" onSubmit={link}>
                    <Field id="link-channel" label="Channel">
                      <select id="link-channel" name="channel">
                        {CHANNELS.map((channel) => (
                          <option key={channel} value={channel}>
                            {channel}
                          </option>
                        ))}
                      </select>
                    </Field>
                    <Field id="link-id" label="Identifier">
                      <input id="link-id" name="id" required maxLength={320} />
                    </Field>
                    <button type="submit" class="button">
                      Link
                    </button>
                  </form>
                  <form class="inline-form" onSubmit={merge}>
                    <Field id="merge-from" label="Merge another user id into this person">
                      <input id="merge-from" name="from" required maxLength={256} class="mono" />
                    </Field>
                    <button type="submit" class="button">
                      Merge
                    </button>
                  </form>
                </>
              ) : null}
            </Card>
            <PreviewPanel userId={props.userId} version={person.profile.version} />
          </div>
          <Card id="memories" title="Current memories">
            {types.length === 0 ? <p class="empty">No current memories.</p> : null}
            {types.map((type) => (
              <section key={type} class="memory-group" aria-labelledby={`type-${type}`}>
                <h3 id={`type-${type}`} class="type-heading">
                  {type} <span class="count">{byType.get(type)!.length}</span>
                </h3>
                <ul class="memories">
                  {byType.get(type)!.map((memory) => (
                    <MemoryItem key={memory.id} memory={memory} />
                  ))}
                </ul>
              </section>
            ))}
          </Card>
          <Card id="history" title="History">
            {person.history.length === 0 ? (
              <p class="empty">Nothing superseded, resolved or expired yet.</p>
            ) : (
              <ol class="timeline">
                {person.history.map((entry) => (
                  <li key={`${entry.memory.id}-${entry.event}`} class={`event-${entry.event}`}>
                    <time dateTime={entry.at}>{formatTime(entry.at)}</time>
                    <p>
                      <span class="badge badge-muted">{entry.event}</span>{' '}
                      <s>{entry.memory.text}</s>
                    </p>
                    {entry.by ? (
                      <p class="muted">replaced by: {texts.get(entry.by) ?? entry.by}</p>
                    ) : null}
                  </li>
                ))}
              </ol>
            )}
          </Card>
        </>
      ) : error ? null : (
        <p aria-busy="true">Loading…</p>
      )}
      <dialog
        ref={dialog}
        aria-labelledby="forget-title"
        onClose={() => setConfirming(false)}
        class="dialog"
      >
        <form onSubmit={forget} method="dialog" class="stack">
          <h2 id="forget-title">Forget {props.userId}?</h2>
          <p>
            Every memory, its history, every identifier and every cached copy of this person is
            deleted on every instance. This cannot be undone. You get a signed receipt.
          </p>
          <Field id="forget-reason" label="Reason (kept in the audit ledger)">
            <input
              id="forget-reason"
              name="reason"
              required
              defaultValue="gdpr_request"
              maxLength={256}
            />
          </Field>
          <div class="row">
            <button type="submit" class="button danger">
              Forget for ever
            </button>
            <button type="button" class="button" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </div>
        </form>
      </dialog>
    </main>
  );
}
