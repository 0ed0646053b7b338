import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import { useAnnounce } from '../components/announcer';
import { formatTime, messageOf } from '../components/format';
import { Card, DataTable, ErrorNote, Field, PageHeader } from '../components/ui';
import type { AuditEntryView, ChainVerificationView } from '../types';

const OPS = [
  'memory.write',
  'user.forget',
  'user.export',
  'user.merge',
  'user.unmerge',
  'identifier.link',
  'identifier.unlink',
  'key.create',
  'key.revoke',
  'account.create',
  'account.login',
  'tenant.create',
];

interface Filters {
  op?: string;
  actor?: string;
  subject?: string;
  since?: string;
  until?: string;
}

/** A `datetime-local` value as an ISO instant, in the reader's time zone. */
function instantOf(value: FormDataEntryValue | null): string | undefined {
  if (!value) return undefined;
  const date = new Date(String(value));
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** The ledger, newest first, filtered and paged, and the chain check. */
export function Audit() {
  const announce = useAnnounce();
  const [filters, setFilters] = useState<Filters>({});
  const [pages, setPages] = useState<Array<number | undefined>>([undefined]);
  const [entries, setEntries] = useState<AuditEntryView[] | null>(null);
  const [next, setNext] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [check, setCheck] = useState<ChainVerificationView | null>(null);
  const [checking, setChecking] = useState(false);
  const beforeSeq = pages.at(-1);

  useEffect(() => {
    let live = true;
    api<{ entries: AuditEntryView[]; nextBeforeSeq: number | null }>('audit', {
      query: { ...filters, beforeSeq, limit: 25 },
    }).then(
      (result) => {
        if (!live) return;
        setEntries(result.entries);
        setNext(result.nextBeforeSeq);
        setError(null);
      },
      (failure: unknown) => live && setError(messageOf(failure)),
    );
    return () => void (live = false);
  }, [filters, beforeSeq]);

  const apply = (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const text = (name: string) => String(form.get(name) ?? '').trim() || undefined;
    setFilters({
      op: text('op'),
      actor: text('actor'),
      subject: text('subject'),
      since: instantOf(form.get('since')),
      until: instantOf(form.get('until')),
    });
    setPages([undefined]);
  };

  const verify = async () => {
    setChecking(true);
    try {
      const result = await api<ChainVerificationView>('audit/verify');
      setCheck(result);
      announce(
        result.ok
          ? `Chain verified: ${result.count} entries intact.`
          : `Chain broken at entry ${result.seq}: ${result.message}`,
        result.ok ? 'info' : 'error',
      );
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setChecking(false);
    }
  };

  return (
    <main id="main">
      <PageHeader title="Audit ledger">
        Every change, hash-chained and sealed. Payloads hold ids, counts and hashes, never personal
        data.
      </PageHeader>
      <Card
        id="verify"
        title="Chain integrity"
        actions={
          <button type="button" class="button primary" onClick={verify} disabled={checking}>
            {checking ? 'Verifying…' : 'Verify chain'}
          </button>
        }
      >
        <div id="verify-result">
          {check === null ? (
            <p class="muted">
              Checks every entry's hash, seal and link, from the first to the last.
            </p>
          ) : check.ok ? (
            <p class="result result-ok">
              ✓ Chain intact: {check.count} entries{check.head ? `, head #${check.head.seq}` : ''}.
            </p>
          ) : (
            <p class="result result-bad">
              ✗ Entry #{check.seq} was {check.problem}: {check.message}
            </p>
          )}
        </div>
      </Card>
      <Card id="filters" title="Filter">
        <form onSubmit={apply} class="filters">
          <Field id="filter-op" label="Operation">
            <input id="filter-op" name="op" list="ops" placeholder="any" />
            <datalist id="ops">
              {OPS.map((op) => (
                <option key={op} value={op} />
              ))}
            </datalist>
          </Field>
          <Field id="filter-actor" label="Actor">
            <input id="filter-actor" name="actor" placeholder="key:k… or account:a…" class="mono" />
          </Field>
          <Field id="filter-subject" label="Subject">
            <input id="filter-subject" name="subject" class="mono" />
          </Field>
          <Field id="filter-since" label="From">
            <input id="filter-since" name="since" type="datetime-local" />
          </Field>
          <Field id="filter-until" label="Until">
            <input id="filter-until" name="until" type="datetime-local" />
          </Field>
          <div class="filter-buttons">
            <button type="submit" class="button primary">
              Apply
            </button>
            <button
              type="reset"
              class="button"
              onClick={() => {
                setFilters({});
                setPages([undefined]);
              }}
            >
              Clear
            </button>
          </div>
        </form>
      </Card>
      <ErrorNote message={error} />
      <Card id="entries" title="Entries">
        {entries === null ? (
          <p aria-busy="true">Loading…</p>
        ) : entries.length === 0 ? (
          <p class="empty">No entries match.</p>
        ) : (
          <DataTable
            caption="Audit entries, newest first"
            columns={['#', 'Time', 'Operation', 'Actor', 'Subject', 'Payload']}
          >
            {entries.map((entry) => (
              <tr key={entry.seq}>
                <th scope="row" class="number">
                  {entry.seq}
                </th>
                <td>{formatTime(entry.ts)}</td>
                <td>
                  <code class="chip">{entry.op}</code>
                </td>
                <td class="mono small">{entry.actor}</td>
                <td class="mono small">{entry.subject ?? '—'}</td>
                <td class="mono small payload">{JSON.stringify(entry.payload)}</td>
              </tr>
            ))}
          </DataTable>
        )}
        <nav class="pager" aria-label="Audit pages">
          <button
            type="button"
            class="button small"
            disabled={pages.length === 1}
            onClick={() => setPages(pages.slice(0, -1))}
          >
            ← Newer
          </button>
          <span class="muted">Page {pages.length}</span>
          <button
            type="button"
            class="button small"
            disabled={next === null}
            onClick={() => setPages([...pages, next ?? undefined])}
          >
            Older →
          </button>
        </nav>
      </Card>
    </main>
  );
}
