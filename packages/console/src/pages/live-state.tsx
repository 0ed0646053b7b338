import { useEffect, useRef, useState } from 'preact/hooks';
import { api, consoleRoot } from '../api';
import { useAnnounce } from '../components/announcer';
import { formatTime, messageOf } from '../components/format';
import { Card, DataTable, ErrorNote, PageHeader } from '../components/ui';
import type { StateEntry, StateEvent, StateSchemaRecord } from '../types';

/** What the page says of its socket, by the socket's state. */
const CONNECTION = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  closed: 'Closed',
} as const;

type Connection = keyof typeof CONNECTION;

/** Most keys the page names when it resumes its subscription; 512-character keys stay < 1 MiB. */
const RESUME_KEYS_MAX = 1000;

/** The state socket's URL: `/v1/state/ws` beside the console (`…/console/` → `…/v1/state/ws`). */
function socketUrl(): string {
  const url = new URL('../v1/state/ws', consoleRoot());
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.href;
}

function valueText(value: unknown): string {
  const text = JSON.stringify(value);
  return text.length > 400 ? `${text.slice(0, 400)}…` : text;
}

/** The tenant's shared-state keys, changing on screen as agents write them. */
export function LiveState() {
  const announce = useAnnounce();
  const [entries, setEntries] = useState<Map<string, StateEntry>>(new Map());
  const [schemas, setSchemas] = useState<StateSchemaRecord[]>([]);
  const [changed, setChanged] = useState<string | null>(null);
  const [connection, setConnection] = useState<Connection>('connecting');
  const [error, setError] = useState<string | null>(null);
  const versions = useRef(new Map<string, number>());

  useEffect(() => {
    let socket: WebSocket | null = null;
    let stopped = false;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let attempt = 0;

    const apply = (event: StateEvent) => {
      if (event.event === 'schema') {
        void api<{ schemas: StateSchemaRecord[] }>('state').then((result) =>
          setSchemas(result.schemas),
        );
        return;
      }
      // A replay after a reconnect may repeat what is on screen.
      if ((versions.current.get(event.key) ?? 0) >= event.version) return;
      versions.current.set(event.key, event.version);
      setEntries((current) => {
        const next = new Map(current);
        if (event.event === 'delete') next.delete(event.key);
        else {
          const { event: _kind, resync: _resync, ...entry } = event;
          next.set(event.key, entry);
        }
        return next;
      });
      setChanged(event.key);
      if (!event.resync) {
        announce(
          event.event === 'delete'
            ? `${event.key} deleted.`
            : `${event.key} is now version ${event.version}.`,
        );
      }
    };

    const connect = () => {
      setConnection(attempt === 0 ? 'connecting' : 'reconnecting');
      socket = new WebSocket(socketUrl());
      socket.addEventListener('open', () => {
        // Resume from what is on screen: the keys shown replay only the versions after theirs,
        // and keys not shown yet their current value, so nothing changed meanwhile is missed
        // and nothing already shown is sent again. Past RESUME_KEYS_MAX keys (a frame of their
        // names could pass the socket's message limit) every key's current value comes again.
        const since =
          versions.current.size <= RESUME_KEYS_MAX ? Object.fromEntries(versions.current) : {};
        socket?.send(
          JSON.stringify({ type: 'subscribe', id: 'all', pattern: '*', sinceVersion: 0, since }),
        );
      });
      socket.addEventListener('message', (message) => {
        const data = JSON.parse(String(message.data)) as
          | { type: 'ready' }
          | { type: 'event'; event: StateEvent }
          | { type: 'error'; error: { message: string } };
        if (data.type === 'ready') {
          attempt = 0;
          setConnection('live');
        } else if (data.type === 'event') apply(data.event);
        else setError(data.error.message);
      });
      socket.addEventListener('close', (event) => {
        if (stopped) return;
        setConnection('reconnecting');
        if (event.code === 4401) setError(`The socket closed: ${event.reason}`);
        attempt += 1;
        retry = setTimeout(connect, Math.min(1000 * 2 ** attempt, 15_000));
      });
    };

    api<{ entries: StateEntry[]; schemas: StateSchemaRecord[] }>('state').then(
      (result) => {
        if (stopped) return;
        setEntries(new Map(result.entries.map((entry) => [entry.key, entry])));
        for (const entry of result.entries) versions.current.set(entry.key, entry.version);
        setSchemas(result.schemas);
        connect();
      },
      (failure: unknown) => setError(messageOf(failure)),
    );
    return () => {
      stopped = true;
      clearTimeout(retry);
      socket?.close();
      setConnection('closed');
    };
  }, []);

  const rows = [...entries.values()].sort((a, b) => (a.key < b.key ? -1 : 1));
  return (
    <main id="main">
      <PageHeader title="Live state">
        Shared state of this tenant's agent teams, as it changes.
      </PageHeader>
      <p class={`connection connection-${connection}`}>
        <span class="dot" aria-hidden="true" /> {CONNECTION[connection]}
      </p>
      <ErrorNote message={error} />
      <Card id="values" title="Values">
        {rows.length === 0 ? (
          <p class="empty">No state values yet.</p>
        ) : (
          <DataTable
            caption="State values"
            columns={['Key', { label: 'Version', number: true }, 'Value', 'Updated', 'By']}
          >
            {rows.map((entry) => (
              <tr key={entry.key} class={changed === entry.key ? 'flash' : ''} data-key={entry.key}>
                <th scope="row" class="mono">
                  {entry.key}
                </th>
                <td class="number" data-testid="version">
                  {entry.version}
                </td>
                <td class="mono small value">{valueText(entry.value)}</td>
                <td>{formatTime(entry.updatedAt)}</td>
                <td class="mono small">{entry.updatedBy}</td>
              </tr>
            ))}
          </DataTable>
        )}
      </Card>
      <Card id="schemas" title="Schemas">
        {schemas.length === 0 ? (
          <p class="empty">No schemas registered.</p>
        ) : (
          <ul class="schemas">
            {schemas.map((schema) => (
              <li key={schema.pattern}>
                <details open={schemas.length <= 3}>
                  <summary>
                    <code>{schema.pattern}</code>{' '}
                    <span class="muted">updated {formatTime(schema.updatedAt)}</span>
                  </summary>
                  <pre class="code">{JSON.stringify(schema.schema, null, 2)}</pre>
                </details>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </main>
  );
}
