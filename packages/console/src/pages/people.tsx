import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import { useAnnounce } from '../components/announcer';
import { messageOf } from '../components/format';
import { Card, ErrorNote, Field, Link, PageHeader } from '../components/ui';
import { navigate } from '../router';
import type { PersonMatch } from '../types';

const MATCHED_BY: Record<string, string> = {
  userId: 'user id',
  voice: 'phone (voice)',
  whatsapp: 'WhatsApp',
  sms: 'phone (SMS)',
  email: 'e-mail',
  web: 'web id',
  app: 'app id',
};

/** Find a person by user id or by any identifier, through the identity graph. */
export function People(props: { query: string }) {
  const announce = useAnnounce();
  const [matches, setMatches] = useState<PersonMatch[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!props.query) {
      setMatches(null);
      return;
    }
    let live = true;
    setError(null);
    api<{ matches: PersonMatch[] }>('people', { query: { query: props.query } }).then(
      (result) => {
        if (!live) return;
        setMatches(result.matches);
        announce(
          result.matches.length === 0
            ? 'No one found.'
            : `${result.matches.length} ${result.matches.length === 1 ? 'person' : 'people'} found.`,
        );
      },
      (failure: unknown) => live && setError(messageOf(failure)),
    );
    return () => void (live = false);
  }, [props.query]);

  const search = (event: Event) => {
    event.preventDefault();
    const query = String(
      new FormData(event.currentTarget as HTMLFormElement).get('query') ?? '',
    ).trim();
    navigate(query ? `people?query=${encodeURIComponent(query)}` : 'people');
  };

  return (
    <main id="main">
      <PageHeader title="People">
        Search by user id, phone number (any channel, any format), WhatsApp id, e-mail, or web and
        app id.
      </PageHeader>
      <Card>
        <form role="search" onSubmit={search} class="search-row">
          <Field id="people-query" label="User id or identifier">
            <input
              id="people-query"
              name="query"
              type="search"
              defaultValue={props.query}
              placeholder="+44 20 7946 0958, wa:442079460958, ada@example.com, u-42"
              required
            />
          </Field>
          <button class="button primary" type="submit">
            Search
          </button>
        </form>
      </Card>
      <ErrorNote message={error} />
      {matches === null ? null : matches.length === 0 ? (
        <p class="empty">No one in this tenant matches “{props.query}”.</p>
      ) : (
        <Card id="matches" title="Matches">
          <ul class="matches">
            {matches.map((match) => (
              <li key={match.userId}>
                <Link to={`people/${encodeURIComponent(match.userId)}`} class="match-link">
                  <span class="mono">{match.userId}</span>
                </Link>
                <span class="muted">
                  {' '}
                  matched by {match.matchedBy.map((by) => MATCHED_BY[by] ?? by).join(', ')}
                </span>
              </li>
            ))}
          </ul>
        </Card>
      )}
    </main>
  );
}
