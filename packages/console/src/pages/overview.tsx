import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import { ActivityChart } from '../components/activity-chart';
import { formatCount, formatRatio, formatTime, messageOf } from '../components/format';
import { Card, ErrorNote, PageHeader } from '../components/ui';
import type { Overview as OverviewData } from '../types';

function CountTable(props: { caption: string; counts: Record<string, number>; label: string }) {
  const rows = Object.entries(props.counts).sort((a, b) => b[1] - a[1]);
  if (rows.length === 0) return <p class="empty">Nothing yet.</p>;
  return (
    <table class="compact">
      <caption class="visually-hidden">{props.caption}</caption>
      <thead>
        <tr>
          <th scope="col">{props.label}</th>
          <th scope="col" class="number">
            Memories
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map(([name, count]) => (
          <tr key={name}>
            <th scope="row">{name}</th>
            <td class="number">{formatCount(count)}</td>
          </tr>
        ))}
      </tbody>
    </table>
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
            <div class="stat" role="listitem">
              <span class="stat-value">{formatCount(data.stats.users)}</span>
              <span class="stat-label">People</span>
            </div>
            <div class="stat" role="listitem">
              <span class="stat-value">{formatCount(data.stats.memories.current)}</span>
              <span class="stat-label">Current memories</span>
            </div>
            <div class="stat" role="listitem">
              <span class="stat-value">{formatCount(data.usage.totals.reads)}</span>
              <span class="stat-label">Reads ({hours} h)</span>
            </div>
            <div class="stat" role="listitem">
              <span class="stat-value">{formatCount(data.usage.totals.writes)}</span>
              <span class="stat-label">Writes ({hours} h)</span>
            </div>
            <div class="stat" role="listitem">
              <span class="stat-value">{formatRatio(data.usage.cacheHitRatio)}</span>
              <span class="stat-label">Cache hit ratio</span>
            </div>
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
            <ActivityChart hours={data.usage.hours} />
          </Card>
          <div class="grid-2">
            <Card id="by-type" title="Current memories by type">
              <CountTable
                caption="Current memories by type"
                counts={data.stats.memories.byType}
                label="Type"
              />
            </Card>
            <Card id="by-channel" title="Current memories by channel">
              <CountTable
                caption="Current memories by channel"
                counts={data.stats.memories.byChannel}
                label="Channel"
              />
            </Card>
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
