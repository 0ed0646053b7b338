import type { Overview } from '../types';
import { formatCount, formatTime } from './format';
import { DataTable } from './ui';

const WIDTH = 720;
const HEIGHT = 220;
const PAD = { top: 12, right: 12, bottom: 28, left: 44 };

/** A round top for the y axis: 1, 2 or 5 times a power of ten. */
function niceMax(value: number): number {
  if (value <= 4) return 4;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

/**
 * Reads and writes per hour as paired bars, with the same numbers as a table for screen readers
 * and for anyone who prefers numbers.
 */
export function ActivityChart(props: { usage: Overview['usage'] }) {
  const { hours, totals } = props.usage;
  const top = niceMax(Math.max(0, ...hours.map((hour) => Math.max(hour.reads, hour.writes))));
  const plotWidth = WIDTH - PAD.left - PAD.right;
  const plotHeight = HEIGHT - PAD.top - PAD.bottom;
  const slot = plotWidth / Math.max(hours.length, 1);
  const bar = Math.max(1, Math.min(14, slot / 2 - 1));
  const y = (value: number) => PAD.top + plotHeight - (value / top) * plotHeight;
  const labelEvery = Math.ceil(hours.length / 8);
  const summary = `Reads and writes per hour over the last ${hours.length} hours: ${formatCount(totals.reads)} reads and ${formatCount(totals.writes)} writes in all.`;
  return (
    <figure class="chart">
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-label={summary}
        preserveAspectRatio="none"
      >
        {[0, 0.5, 1].map((fraction) => (
          <g key={fraction}>
            <line
              class="grid"
              x1={PAD.left}
              x2={WIDTH - PAD.right}
              y1={y(top * fraction)}
              y2={y(top * fraction)}
            />
            <text class="axis" x={PAD.left - 6} y={y(top * fraction) + 4} text-anchor="end">
              {formatCount(top * fraction)}
            </text>
          </g>
        ))}
        {hours.map((hour, index) => {
          const x = PAD.left + index * slot + slot / 2;
          const date = new Date(hour.hour);
          return (
            <g key={hour.hour}>
              <rect
                class="bar-reads"
                x={x - bar - 0.5}
                y={y(hour.reads)}
                width={bar}
                height={y(0) - y(hour.reads)}
              >
                <title>{`${formatTime(hour.hour)}: ${hour.reads} reads`}</title>
              </rect>
              <rect
                class="bar-writes"
                x={x + 0.5}
                y={y(hour.writes)}
                width={bar}
                height={y(0) - y(hour.writes)}
              >
                <title>{`${formatTime(hour.hour)}: ${hour.writes} writes`}</title>
              </rect>
              {index % labelEvery === 0 ? (
                <text class="axis" x={x} y={HEIGHT - 8} text-anchor="middle">
                  {hours.length > 48
                    ? `${date.getDate()}/${date.getMonth() + 1}`
                    : `${String(date.getHours()).padStart(2, '0')}:00`}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
      <figcaption>
        <span class="legend legend-reads">Reads</span>
        <span class="legend legend-writes">Writes</span>
      </figcaption>
      <details>
        <summary>Show the numbers</summary>
        <DataTable
          caption="Reads and writes per hour"
          columns={['Hour', 'Reads', 'Writes', 'Cache hits', 'Cache misses']}
        >
          {hours
            .filter((hour) => hour.reads + hour.writes + hour.cacheHits + hour.cacheMisses > 0)
            .map((hour) => (
              <tr key={hour.hour}>
                <th scope="row">{formatTime(hour.hour)}</th>
                <td>{formatCount(hour.reads)}</td>
                <td>{formatCount(hour.writes)}</td>
                <td>{formatCount(hour.cacheHits)}</td>
                <td>{formatCount(hour.cacheMisses)}</td>
              </tr>
            ))}
        </DataTable>
      </details>
    </figure>
  );
}
