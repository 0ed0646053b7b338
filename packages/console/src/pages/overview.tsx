import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import { ActivityChart } from '../components/activity-chart';
import { formatCount, formatRatio, formatTime, messageOf } from '../components/format';
import { Card, DataTable, ErrorNote, PageHeader } from '../components/ui';
import type { Overview as OverviewData } from '../types';

/** Current memories counted by one of their fields, most first, in a card of their own. */
function CountCard(props: { id: string; label: string; counts: Record<string, number> }) {
  const title = `Current memories by ${props.label.toLowerCase()}`;
  const rows = Object.entries(props.counts).sort((a, b) => b[1] - a[1]);
  return (
    <Card id={props.id} title={title}>
      {rows.length === 0 ? (
        <p class="empty">Nothing yet.</p>
      ) : (
        <DataTable
          class="compact"
          caption={title}
          columns={[props.label, { label: 'Memories', number: true }]}
        >
          {rows.map(([name, count]) => (
            <tr key={name}>
              <th scope="row">{name}</th>
              <td class="number">{formatCount(count)}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </Card>
  );
}

/** What the tenant holds, and how busy it has been. */
export function Overview() {
  const [hours, setHours] = useState(24);
  const [data, setData] = useState<OverviewData | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    const load = () =>
      api<OverviewData>('overview', { query: { hours } }).then(
        (overview) => live && (setData(overview), setError(null)),
        (failure: unknown) => live && setError(messageOf(failure)),
      );
    void load();
    const timer = setInterval(load, 15_000);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [hours]);

  return (
    <main id="main">
      <PageHeader title="Overview">
        People and memories of this tenant, and its activity.
      </PageHeader>
      <ErrorNote message={error} />
      {data ? (
        <>
          <div class="stats" role="list">
            {(
              [
                [formatCount(data.stats.users), 'People'],
                [formatCount(data.stats.memories.current), 'Current memories'],
                [formatCount(data.usage.totals.reads), `Reads (${hours} h)`],
                [formatCount(data.usage.totals.writes), `Writes (${hours} h)`],
                [formatRatio(data.usage.cacheHitRatio), 'Cache hit ratio'],
              ] as const
            ).map(([value, label]) => (
              <div key={label} class="stat" role="listitem">
                <span class="stat-value">{value}</span>
                <span class="stat-label">{label}</span>
              </div>
            ))}
          </div>
          <Card
            id="activity"
            title="Reads and writes per hour"
            actions={
              <div class="segmented" role="group" aria-label="Window">
                {[24, 168].map((window) => (
                  <button
                    key={window}
                    type="button"
                    class="button small"
                    aria-pressed={hours === window}
                    onClick={() => setHours(window)}
                  >
                    {window === 24 ? 'Last 24 hours' : 'Last 7 days'}
                  </button>
                ))}
              </div>
            }
          >
            <ActivityChart usage={data.usage} />
          </Card>
          <div class="grid-2">
            <CountCard id="by-type" label="Type" counts={data.stats.memories.byType} />
            <CountCard id="by-channel" label="Channel" counts={data.stats.memories.byChannel} />
          </div>
          <p class="hint">
            Oldest current memory {formatTime(data.stats.oldest)}; newest{' '}
            {formatTime(data.stats.newest)}. Activity counts every instance; another instance's
            counts arrive within seconds.
          </p>
        </>
      ) : error ? null : (
        <p aria-busy="true">Loading…</p>
      )}
    </main>
  );
}
